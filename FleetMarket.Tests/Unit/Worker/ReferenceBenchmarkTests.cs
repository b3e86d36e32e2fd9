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
        Assert.Equal((long)ReferenceBenchmark.BatchesPerRound * ReferenceBenchmark.RowsPerBatch, result.InferencesPerRound);
        Assert.Equal(ReferenceBenchmark.Rounds, result.Rounds.Count);
        Assert.True(result.InferencesPerSecond > 0, $"score {result.InferencesPerSecond}");
    }

    [Fact]
    public void Score_IsTheMedianRound_SoOneRoundSlowedByOtherWorkDoesNotMoveIt()
    {
        var steady = new BenchmarkResult("CPU", 1_000, [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.02), TimeSpan.FromSeconds(0.98)]);
        var disturbed = steady with { Rounds = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(0.98)] };

        Assert.Equal(1_000, steady.InferencesPerSecond, precision: 6);
        Assert.Equal(steady.InferencesPerSecond, disturbed.InferencesPerSecond);
        Assert.True(disturbed.Spread > 3, $"spread {disturbed.Spread}");
    }
}
