using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Reservations;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Reservations;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Issue 13: a device's benchmark claim is checked against the speed it measured on the work it did.</summary>
[Collection(AppCollection.Name)]
public sealed class ClaimedScoreTests : IAsyncLifetime
{
    /// <summary>One marketplace a test: every device that ran the sample model calibrates the others.</summary>
    private readonly FleetApp _app = new();
    private readonly MarketplaceBuilder _market;

    public ClaimedScoreTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task DeviceClaimingAHighScore_ButSlowerThanAPeerOnTheSameModel_IsFlagged_AndRankedByItsMeasuredScore()
    {
        var region = $"claims-{Guid.NewGuid():N}"[..30];
        var boaster = await _market.BenchmarkedDeviceAsync(new NewDevice("Boaster", DeviceKind.Pc, "RTX 4090", 24_576, region, new Money(100, "USD")), "CUDA", 5_000_000);
        var modest = await _market.BenchmarkedDeviceAsync(new NewDevice("Modest", DeviceKind.Pc, "RTX 3060", 12_288, region, new Money(100, "USD")), "CUDA", 2_000);
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 16, rowsPerUnit: 4);

        // The same model: the modest device does four rows in 6 s, the one claiming 2,500 times its score in 12 s.
        await WorkAsync(modest, units: 2, computeMilliseconds: 6_000);
        await WorkAsync(boaster, units: 2, computeMilliseconds: 12_000);

        var view = await _app.InScopeAsync(s => s.GetRequiredService<CapacityService>().BrowseAsync(new CapacityRequirements(Region: region)));
        Assert.Equal([modest.DeviceId, boaster.DeviceId], view.Devices.Select(d => d.DeviceId));
        var flagged = view.Devices[1];
        Assert.True(flagged.ScoreDisputed);
        Assert.Equal(5_000_000, flagged.ClaimedScore);
        Assert.Equal(1_000, flagged.BenchmarkScore!.Value, tolerance: 1);
        Assert.False(view.Devices[0].ScoreDisputed);

        var owners = await _app.InScopeAsync(s => s.GetRequiredService<DeviceListing>().PageAsync(boaster.Owner.Id, 0, 10));
        Assert.True(Assert.Single(owners.Rows).Score.Disputed);
    }

    [Fact]
    public async Task DeviceAloneOnItsModel_RunningAHeavyModelSlowly_IsTakenAtItsWord()
    {
        var region = $"alone-{Guid.NewGuid():N}"[..30];
        var honest = await _market.BenchmarkedDeviceAsync(new NewDevice("Heavy lifter", DeviceKind.Pc, "RTX 4090", 24_576, region, new Money(100, "USD")), "CUDA", 5_000_000);
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 8, rowsPerUnit: 4);

        await WorkAsync(honest, units: 2, computeMilliseconds: 60_000);

        var view = await _app.InScopeAsync(s => s.GetRequiredService<CapacityService>().BrowseAsync(new CapacityRequirements(Region: region)));
        var device = Assert.Single(view.Devices);
        Assert.False(device.ScoreDisputed);
        Assert.Equal(5_000_000, device.BenchmarkScore);
    }

    private async Task WorkAsync(PairedDevice device, int units, long computeMilliseconds)
    {
        using var client = _market.DeviceClient(device);
        for (var i = 0; i < units; i++)
        {
            var lease = await MarketplaceBuilder.LeaseAsync(client);
            Assert.NotNull(lease);
            (await MarketplaceBuilder.UploadAsync(client, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(client, lease),
                computeMilliseconds)).EnsureSuccessStatusCode();
        }
    }
}
