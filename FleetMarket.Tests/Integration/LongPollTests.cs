using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.WorkerProtocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Work reaches an idle device without a fixed sleep, and a restarted device gives its units back at once.</summary>
[Collection(AppCollection.Name)]
public sealed class LongPollTests : IAsyncLifetime
{
    /// <summary>Polls too rarely to matter: a waiting request answered with work was woken by the submission itself.</summary>
    private readonly FleetApp _app = new(new() { ["Marketplace:LeasePollInterval"] = "00:00:30" });
    private readonly MarketplaceBuilder _market;

    public LongPollTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Lease_DeviceWaitingWhenAJobIsSubmitted_AnsweredWithTheNewUnit()
    {
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var buyer = await _market.BuyerWithBalanceAsync();

        var waiting = device.PostAsJsonAsync(WorkerRoutes.Lease, new LeaseRequest(WaitSeconds: LeaseRequest.MaxWaitSeconds));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(waiting.IsCompleted, "with nothing queued, the request waits");
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 4);
        using var response = await waiting;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(jobId, (await response.Content.ReadFromJsonAsync<WorkUnitLease>())!.JobId);
    }

    [Fact]
    public async Task AUnitQueuedInsideATransaction_WakesTheWaitersAtItsCommit_NotAtItsSave()
    {
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1, rowsPerUnit: 1);
        var lease = (await MarketplaceBuilder.LeaseAsync(device))!;
        var signal = _app.Services.GetRequiredService<WorkSignal>();

        var (toldAtSave, toldAtCommit) = await _app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<FleetDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.WorkUnits.SingleAsync(u => u.LeaseId == lease.LeaseId)).Release(lease.LeaseId, "given back inside a transaction");
            var told = signal.Next;
            await db.SaveChangesAsync();
            var atSave = told.IsCompleted;
            await transaction.CommitAsync();
            return (atSave, told.IsCompleted);
        });

        // Told at the save, a waiter would look before the commit, find nothing, and wait for its next poll.
        Assert.False(toldAtSave, "waiters are not told before the unit is committed");
        Assert.True(toldAtCommit, "waiters are told once it is");
    }

    [Fact]
    public async Task Lease_WaitingAndNothingComes_NoContentOnceTheWaitIsOver()
    {
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());

        using var response = await device.PostAsJsonAsync(WorkerRoutes.Lease, new LeaseRequest(WaitSeconds: 1));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(LeaseRequest.MaxWaitSeconds + 1)]
    [InlineData(int.MaxValue)]
    public async Task Lease_WaitOutOfRange_ProblemNamesTheFieldAndNothingIsLeased(int waitSeconds)
    {
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2);

        using var response = await device.PostAsJsonAsync(WorkerRoutes.Lease, new LeaseRequest(WaitSeconds: waitSeconds));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("waitSeconds", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.False(await _app.QueryAsync(db => db.WorkUnits.AnyAsync(u => u.Status == WorkUnitStatus.Leased)));
    }

    [Fact]
    public async Task ReleaseHeld_DeviceRestarted_UnitsGoBackAtOnceExceptTheKeptOne()
    {
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 1);
        using var restarted = _market.DeviceClient(await _market.PairedDeviceAsync());
        var kept = (await MarketplaceBuilder.LeaseAsync(restarted))!;
        var lost = (await MarketplaceBuilder.LeaseAsync(restarted))!;

        using var response = await restarted.PostAsJsonAsync(WorkerRoutes.ReleaseHeld, new ReleaseHeldRequest([kept.LeaseId]));

        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<ReleaseHeldResponse>())!.Released);
        var units = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToDictionaryAsync(u => u.Id));
        Assert.Equal(WorkUnitStatus.Leased, units[kept.WorkUnitId].Status);
        Assert.Equal(WorkUnitStatus.Queued, units[lost.WorkUnitId].Status);
        using var other = _market.DeviceClient(await _market.PairedDeviceAsync());
        Assert.Equal(lost.WorkUnitId, (await MarketplaceBuilder.LeaseAsync(other))!.WorkUnitId);
        Assert.True((await MarketplaceBuilder.CompleteHonestlyAsync(restarted, kept)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task ReleaseHeld_KeepListTooLong_ProblemAndNothingReleased()
    {
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var held = (await MarketplaceBuilder.LeaseAsync(device))!;
        var keep = Enumerable.Range(0, ReleaseHeldRequest.MaxKeep + 1).Select(_ => Guid.NewGuid()).ToList();

        using var response = await device.PostAsJsonAsync(WorkerRoutes.ReleaseHeld, new ReleaseHeldRequest(keep));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("keep", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(WorkUnitStatus.Leased, await _app.QueryAsync(db => db.WorkUnits.Where(u => u.Id == held.WorkUnitId).Select(u => u.Status).SingleAsync()));
    }
}
