using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Reservations;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Reservations;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Issue 13: a device's benchmark claim is checked against the speed it measured on the work it did.</summary>
[Collection(AppCollection.Name)]
public sealed class ClaimedScoreTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task DeviceClaimingAHighScore_ButComputingSlowly_IsFlagged_AndRankedByItsMeasuredSpeed()
    {
        var region = $"claims-{Guid.NewGuid():N}"[..30];
        var boaster = await _market.BenchmarkedDeviceAsync(new NewDevice("Boaster", DeviceKind.Pc, "RTX 4090", 24_576, region, 100), "CUDA", 5_000_000);
        var buyer = await _market.BuyerWithBalanceAsync();
        await _market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 4);
        using (var client = _market.DeviceClient(boaster))
        {
            // Four inferences in six seconds a unit: under one a second, against five million claimed.
            while (await MarketplaceBuilder.LeaseAsync(client) is { } lease)
            {
                (await MarketplaceBuilder.UploadAsync(client, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(client, lease),
                    computeMilliseconds: 6_000)).EnsureSuccessStatusCode();
            }
        }

        var modest = await _market.BenchmarkedDeviceAsync(new NewDevice("Modest", DeviceKind.Pc, "RTX 3060", 12_288, region, 100), "CUDA", 2_000);

        var view = await app.InScopeAsync(s => s.GetRequiredService<CapacityService>().BrowseAsync(new CapacityRequirements(Region: region)));
        Assert.Equal([modest.DeviceId, boaster.DeviceId], view.Devices.Select(d => d.DeviceId));
        var flagged = view.Devices[1];
        Assert.True(flagged.ScoreDisputed);
        Assert.Equal(5_000_000, flagged.ClaimedScore);
        Assert.InRange(flagged.BenchmarkScore!.Value, 0.5, 1);
        Assert.False(view.Devices[0].ScoreDisputed);

        var owners = await app.InScopeAsync(s => s.GetRequiredService<DeviceListing>().PageAsync(boaster.Owner.Id, 0, 10));
        Assert.True(Assert.Single(owners.Rows).Score.Disputed);
    }
}
