using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.Integration;

/// <summary>Each test gets its own marketplace, so the queue holds only that test's units.</summary>
[Collection(AppCollection.Name)]
public sealed class DispatchTests : IAsyncLifetime
{
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>Starts this test's marketplace on <paramref name="database"/>.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database);
        _market = new MarketplaceBuilder(_app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task Lease_ManyDevicesRaceForOneUnit_ExactlyOneWins(TestDatabase database)
    {
        Start(database);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 3, rowsPerUnit: 4);
        var devices = new List<HttpClient>();
        for (var i = 0; i < 6; i++)
        {
            devices.Add(_market.DeviceClient(await _market.PairedDeviceAsync()));
        }

        var leases = await Task.WhenAll(devices.Select(MarketplaceBuilder.LeaseAsync));

        var won = leases.Where(l => l?.JobId == jobId).ToList();
        Assert.Single(won);
        var unit = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().SingleAsync(u => u.JobId == jobId));
        Assert.Equal(won[0]!.LeaseId, unit.LeaseId);
        Assert.Equal(1, unit.Attempts);
    }

    [ProviderTheory]
    public async Task Complete_SameLeaseTwice_OneResultAndOneUsageRecord(TestDatabase database)
    {
        Start(database);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await LeaseUnitOfAsync(device, jobId);

        var outputs = await MarketplaceBuilder.HonestOutputsAsync(device, lease);

        var first = await MarketplaceBuilder.UploadAsync(device, lease.LeaseId, outputs);
        var second = await MarketplaceBuilder.UploadAsync(device, lease.LeaseId, outputs);

        Assert.True((await first.Content.ReadFromJsonAsync<CompletionResponse>())!.Accepted);
        Assert.True((await second.Content.ReadFromJsonAsync<CompletionResponse>())!.Accepted);
        var usage = await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.WorkUnitId == lease.WorkUnitId));
        Assert.Equal(1, usage);
    }

    [Fact]
    public async Task Complete_OutputsWithWrongRowCount_RejectedAndUnitStillLeased()
    {
        Start(TestDatabase.Sqlite);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await LeaseUnitOfAsync(device, jobId);
        var wrong = Protocol.Tensors.Npz.ToBytes(new Dictionary<string, Protocol.Tensors.NpyArray>
        {
            ["scores"] = Protocol.Tensors.NpyArray.FromFloats(new float[6], 2, 3),
        });

        var response = await MarketplaceBuilder.UploadAsync(device, lease.LeaseId, wrong);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var unit = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().SingleAsync(u => u.Id == lease.WorkUnitId));
        Assert.Equal(WorkUnitStatus.Leased, unit.Status);
        Assert.Equal(0, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.WorkUnitId == lease.WorkUnitId)));
    }

    [ProviderTheory]
    public async Task Release_LeasedUnit_GoesBackToTheQueueForAnotherDevice(TestDatabase database)
    {
        Start(database);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 4);
        using var first = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var second = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await LeaseUnitOfAsync(first, jobId);

        (await first.PostAsync(WorkerRoutes.Release(lease.LeaseId), null)).EnsureSuccessStatusCode();
        var again = await LeaseUnitOfAsync(second, jobId);

        Assert.Equal(lease.WorkUnitId, again.WorkUnitId);
        Assert.NotEqual(lease.LeaseId, again.LeaseId);
    }

    [ProviderTheory]
    public async Task Release_ThreeAttemptsUsed_UnitFailsWithAReasonAndTheSweepFailsTheJob(TestDatabase database)
    {
        Start(database);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        for (var attempt = 0; attempt < WorkUnit.MaxAttempts; attempt++)
        {
            var lease = await LeaseUnitOfAsync(device, jobId);
            (await device.PostAsync(WorkerRoutes.Release(lease.LeaseId), null)).EnsureSuccessStatusCode();
        }

        await _app.RunRecurringJobAsync(FleetMarket.Web.Features.WorkerProtocol.LeaseSweepTask.Id);

        Assert.Null(await MarketplaceBuilder.LeaseAsync(device));
        var unit = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().SingleAsync(u => u.JobId == jobId));
        Assert.Equal(WorkUnitStatus.Failed, unit.Status);
        Assert.Contains("after 3 attempts", unit.FailureReason);
        var job = await _app.QueryAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("1 of 1 units failed", job.FailureReason);
    }

    [Fact]
    public async Task Blob_DeviceWithoutLiveLease_CannotReadTheJobsInputs()
    {
        Start(TestDatabase.Sqlite);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 4);
        using var holder = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var other = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await LeaseUnitOfAsync(holder, jobId);

        var stranger = await other.GetAsync(WorkerRoutes.Blob(lease.InputSha256));
        var owner = await holder.GetAsync(WorkerRoutes.Blob(lease.ModelSha256));

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_DeviceInUse_IsToldNotToWork()
    {
        Start(TestDatabase.Sqlite);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());

        var busy = await device.PostAsJsonAsync(WorkerRoutes.Heartbeat,
            new HeartbeatRequest(new DeviceConditions(IsIdle: false, IsCharging: true, 90, 40), "CPU"));
        var idle = await device.PostAsJsonAsync(WorkerRoutes.Heartbeat,
            new HeartbeatRequest(new DeviceConditions(IsIdle: true, IsCharging: true, 90, 40), "CPU"));

        Assert.False((await busy.Content.ReadFromJsonAsync<HeartbeatResponse>())!.ShouldWork);
        Assert.True((await idle.Content.ReadFromJsonAsync<HeartbeatResponse>())!.ShouldWork);
    }

    private static async Task<WorkUnitLease> LeaseUnitOfAsync(HttpClient device, Guid jobId)
    {
        var lease = await MarketplaceBuilder.LeaseAsync(device);
        Assert.Equal(jobId, lease?.JobId);
        return lease!;
    }
}
