using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.Integration;

/// <summary>Short leases that a working device renews: a running unit keeps its device, a vanished device's unit comes back soon.</summary>
[Collection(AppCollection.Name)]
public sealed class LeaseRenewalTests : IAsyncLifetime
{
    private readonly FleetApp _app = new(new() { ["Marketplace:LeaseDuration"] = "00:00:05", ["Marketplace:MaxUnitDuration"] = "00:01:00" });
    private readonly MarketplaceBuilder _market;

    /// <summary>SQLite keeps times to a tenth of a millisecond.</summary>
    private static readonly TimeSpan Stored = TimeSpan.FromMilliseconds(1);

    public LeaseRenewalTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Lease_TellsTheWorkerHowLongEachPeriodIs()
    {
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());

        var lease = (await MarketplaceBuilder.LeaseAsync(device))!;

        Assert.Equal(5, lease.LeaseSeconds);
    }

    [Fact]
    public async Task Renew_LiveLease_ExtendsItsExpiryAndTheUnitStillCompletes()
    {
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = (await MarketplaceBuilder.LeaseAsync(device))!;
        await Task.Delay(TimeSpan.FromSeconds(1));

        using var response = await device.PostAsync(WorkerRoutes.Renew(lease.LeaseId), content: null);

        response.EnsureSuccessStatusCode();
        var renewal = (await response.Content.ReadFromJsonAsync<LeaseRenewal>())!;
        Assert.True(renewal.ExpiresAt > lease.ExpiresAt);
        Assert.Equal(renewal.ExpiresAt, (await StoredExpiryAsync(lease)).GetValueOrDefault(), Stored);
        Assert.True((await MarketplaceBuilder.CompleteHonestlyAsync(device, lease)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Renew_LeaseThatRanOut_ConflictAndTheUnitGoesToAnotherDevice()
    {
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1);
        using var vanished = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = (await MarketplaceBuilder.LeaseAsync(vanished))!;
        await Task.Delay(lease.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));

        using var response = await vanished.PostAsync(WorkerRoutes.Renew(lease.LeaseId), content: null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
        using var other = _market.DeviceClient(await _market.PairedDeviceAsync());
        Assert.Equal(lease.WorkUnitId, (await MarketplaceBuilder.LeaseAsync(other))!.WorkUnitId);
    }

    [Fact]
    public async Task Renew_AnotherDevicesLease_NotFoundAndItsExpiryUnchanged()
    {
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1);
        using var holder = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var stranger = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = (await MarketplaceBuilder.LeaseAsync(holder))!;

        using var response = await stranger.PostAsync(WorkerRoutes.Renew(lease.LeaseId), content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(lease.ExpiresAt, (await StoredExpiryAsync(lease)).GetValueOrDefault(), Stored);
    }

    [Fact]
    public async Task Renew_PastTheLongestAUnitMayRun_Conflict()
    {
        await using var strict = new FleetApp(new() { ["Marketplace:LeaseDuration"] = "00:00:05", ["Marketplace:MaxUnitDuration"] = "00:00:05" });
        var market = new MarketplaceBuilder(strict);
        await market.SubmitSampleJobAsync(await market.BuyerWithBalanceAsync(), rows: 1);
        using var device = market.DeviceClient(await market.PairedDeviceAsync());
        var lease = (await MarketplaceBuilder.LeaseAsync(device))!;
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        using var response = await device.PostAsync(WorkerRoutes.Renew(lease.LeaseId), content: null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("at most", await response.Content.ReadAsStringAsync());
        Assert.Equal(WorkUnitStatus.Leased, await strict.QueryAsync(db => db.WorkUnits.Where(u => u.Id == lease.WorkUnitId).Select(u => u.Status).SingleAsync()));
    }

    private Task<DateTimeOffset?> StoredExpiryAsync(WorkUnitLease lease) =>
        _app.QueryAsync(db => db.WorkUnits.Where(u => u.Id == lease.WorkUnitId).Select(u => u.LeaseExpiresAt).SingleAsync());
}
