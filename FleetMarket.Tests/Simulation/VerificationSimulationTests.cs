using FleetMarket.Tests.Builders;
using Xunit.Abstractions;

namespace FleetMarket.Tests.Simulation;

/// <summary>
/// Adaptive verification against a fleet with cheaters in it, through the app's real dispatch, completion and
/// verification on SQLite. The figures are printed for docs/benchmarks.md.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class VerificationSimulationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FleetApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task CheatersPairingNewDevices_AtLeast999In1000WrongOutputsRejected_AndNothingPaidForThem()
    {
        var fleet = new CheatingFleet(_app);
        await fleet.AddAsync(Behaviour.Honest, 10);
        await fleet.AddAsync(Behaviour.RandomWrong);
        await fleet.AddAsync(Behaviour.LazyZeros);
        await fleet.AddAsync(Behaviour.LazyCopy);
        await fleet.AddColludingPairAsync();

        var outcome = await fleet.RunAsync(units: 1600, newDevices: true);

        output.WriteLine(outcome.ToString());
        Assert.True(outcome.WrongSent >= 1000, $"the cheaters sent only {outcome.WrongSent} wrong outputs: too few to judge");
        Assert.True(outcome.WrongRejectedShare >= 0.999, $"{outcome.WrongAccepted} of {outcome.WrongSent} wrong outputs accepted");
        Assert.Equal(0, outcome.PaidForRejectedMinor);
        Assert.Equal(outcome.Units, outcome.UnitsAccepted);
    }

    [Fact]
    public async Task MostlyHonestFleet_CheckingCostsAtMost15PercentExtraCompute()
    {
        var fleet = new CheatingFleet(_app);
        await fleet.AddAsync(Behaviour.Honest, 10);
        await fleet.AddAsync(Behaviour.RandomWrong);

        var outcome = await fleet.RunAsync(units: 1500);

        output.WriteLine(outcome.ToString());
        Assert.Equal(0, outcome.WrongAccepted);
        Assert.Equal(outcome.Units, outcome.UnitsAccepted);
        Assert.True(outcome.Overhead <= 0.15, $"checking cost {outcome.Overhead:P1} extra compute");
    }
}
