using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Cli;

/// <summary><c>benchmark</c>: the device's score on the reference model, measured here and now, without a server.</summary>
public sealed record BenchmarkCommand : IWorkerCommand
{
    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        try
        {
            var providers = new ExecutionProviderSelector();
            await ProviderReport.WriteAsync(output, providers);
            using var runner = new OnnxModelRunner(providers);
            await output.WriteLineAsync(
                $"Running the reference model: {ReferenceBenchmark.Rounds} rounds of {ReferenceBenchmark.BatchesPerRound} batches of {ReferenceBenchmark.RowsPerBatch} rows "
                + $"after {ReferenceBenchmark.WarmUpBatches} warm-up batches.");
            var result = new ReferenceBenchmark(runner, TimeProvider.System).Run();
            await output.WriteLineAsync(
                $"Score: {result.InferencesPerSecond:F0} inferences per second on {result.ExecutionProvider}, the median of {result.Rounds.Count} rounds "
                + $"({result.InferencesPerRound} inferences in {result.MedianRound.TotalSeconds:F3} s; rounds {result.Spread:P0} apart).");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            await error.WriteLineAsync($"error: ONNX Runtime could not run the reference model: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
