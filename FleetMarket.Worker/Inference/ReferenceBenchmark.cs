using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// How fast this device ran the reference model, and on which execution provider: the median of its timed rounds,
/// each <paramref name="InferencesPerRound"/> inferences, and how far the fastest and slowest rounds lay apart.
/// </summary>
public sealed record BenchmarkResult(string ExecutionProvider, long InferencesPerRound, IReadOnlyList<TimeSpan> Rounds)
{
    public TimeSpan MedianRound => Rounds.Order().ElementAt(Rounds.Count / 2);

    public double InferencesPerSecond => MedianRound > TimeSpan.Zero ? InferencesPerRound / MedianRound.TotalSeconds : 0;

    /// <summary>The slowest round's time over the fastest's, less one: 0.05 when they lay 5 % apart.</summary>
    public double Spread => Rounds.Min() > TimeSpan.Zero ? (Rounds.Max() / Rounds.Min()) - 1 : 0;
}

/// <summary>
/// The device's score: <see cref="ReferenceModel"/> run through the same runner and provider as real work
/// units, after a warm-up, in rounds whose median is the score, so that one round slowed by something else on the
/// device (a single timing swung 21 M to 77 M inferences a second between starts) does not make it. Scores of
/// different devices compare, and the marketplace checks metered inference counts against them.
/// </summary>
public sealed class ReferenceBenchmark(OnnxModelRunner runner, TimeProvider time)
{
    public const int WarmUpBatches = 100;
    public const int Rounds = 9;
    public const int BatchesPerRound = 500;
    public const int RowsPerBatch = 4096;

    public BenchmarkResult Run(CancellationToken cancellationToken = default)
    {
        var model = runner.LoadModel(ReferenceModel.Build());
        var inputs = new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = ReferenceModel.SampleInputs(RowsPerBatch) };
        for (var batch = 0; batch < WarmUpBatches; batch++)
        {
            runner.Run(model, inputs, cancellationToken);
        }

        var rounds = new List<TimeSpan>(Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var started = time.GetTimestamp();
            for (var batch = 0; batch < BatchesPerRound; batch++)
            {
                runner.Run(model, inputs, cancellationToken);
            }

            rounds.Add(time.GetElapsedTime(started));
        }

        return new BenchmarkResult(runner.ExecutionProvider, (long)BatchesPerRound * RowsPerBatch, rounds);
    }
}
