using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Worker.Inference;

/// <summary>How fast this device ran the reference model, and on which execution provider.</summary>
public sealed record BenchmarkResult(string ExecutionProvider, long Inferences, TimeSpan Elapsed)
{
    public double InferencesPerSecond => Elapsed > TimeSpan.Zero ? Inferences / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// The device's score: <see cref="ReferenceModel"/> run through the same runner and provider as real work
/// units, for a fixed number of batches after a warm-up, so that scores of different devices compare and
/// the marketplace can check metered inference counts against them.
/// </summary>
public sealed class ReferenceBenchmark(OnnxModelRunner runner, TimeProvider time)
{
    public const int WarmUpBatches = 50;
    public const int Batches = 5000;
    public const int RowsPerBatch = 4096;

    public BenchmarkResult Run(CancellationToken cancellationToken = default)
    {
        var model = runner.LoadModel(ReferenceModel.Build());
        var inputs = new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = ReferenceModel.SampleInputs(RowsPerBatch) };
        for (var batch = 0; batch < WarmUpBatches; batch++)
        {
            runner.Run(model, inputs, cancellationToken);
        }

        var started = time.GetTimestamp();
        for (var batch = 0; batch < Batches; batch++)
        {
            runner.Run(model, inputs, cancellationToken);
        }

        return new BenchmarkResult(runner.ExecutionProvider, (long)Batches * RowsPerBatch, time.GetElapsedTime(started));
    }
}
