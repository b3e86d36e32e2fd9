using FleetMarket.Worker.Inference;

namespace FleetMarket.Tests.Unit.Worker;

public class ReferenceBenchmarkTests
{
    [Fact]
    public void Run_OnThisMachine_ReportsAPositiveScoreOnTheProviderInUse()
    {
        using var runner = new OnnxModelRunner(new ExecutionProviderSelector());

        var result = new ReferenceBenchmark(runner, TimeProvider.System).Run();

        Assert.Equal(runner.ExecutionProvider, result.ExecutionProvider);
        Assert.Equal((long)ReferenceBenchmark.Batches * ReferenceBenchmark.RowsPerBatch, result.Inferences);
        Assert.True(result.InferencesPerSecond > 0, $"score {result.InferencesPerSecond}");
    }
}
