using FleetMarket.Domain.Jobs;
using FleetMarket.Tests.Builders;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.EndToEnd;

/// <summary>Real worker processes sharing a job, and a device that vanishes holding a lease.</summary>
[Collection(AppCollection.Name)]
public sealed class FailoverTests : IAsyncLifetime
{
    // Short leases, so a vanished device's unit comes back within the test.
    private readonly FleetApp _app = new(new() { ["Marketplace:LeaseDuration"] = "00:00:05" });
    private readonly MarketplaceBuilder _market;

    public FailoverTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Job_TwoWorkersRunning_CompletesWithOneUsageRecordPerUnit()
    {
        using var first = await PairedWorkerAsync();
        using var second = await PairedWorkerAsync();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 12, rowsPerUnit: 1);

        using var a = first.Start("run");
        using var b = second.Start("run");
        await WaitForCompletionAsync(jobId);
        await WorkerProcess.StopAsync(a);
        await WorkerProcess.StopAsync(b);

        var usage = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).ToListAsync());
        Assert.Equal(12, usage.Count);
        Assert.Equal(12, usage.Select(u => u.WorkUnitId).Distinct().Count());
    }

    [Fact]
    public async Task Lease_DeviceVanishesMidUnit_UnitIsLeasedAgainAndCompletedElsewhere_OneUsageRecord()
    {
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 3, rowsPerUnit: 1);
        using var vanishing = _market.DeviceClient(await _market.PairedDeviceAsync());
        var abandoned = (await MarketplaceBuilder.LeaseAsync(vanishing))!;
        using var survivor = await PairedWorkerAsync();

        await Task.Delay(TimeSpan.FromSeconds(6));
        var run = await survivor.RunAsync("run", "--once");
        await WaitForCompletionAsync(jobId);

        Assert.Equal(0, run.ExitCode);
        var unit = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().SingleAsync(u => u.Id == abandoned.WorkUnitId));
        Assert.Equal(WorkUnitStatus.Done, unit.Status);
        Assert.Equal(2, unit.Attempts);
        Assert.Equal(1, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.WorkUnitId == abandoned.WorkUnitId)));

        // The vanished device comes back and tries to complete its stale lease: refused, nothing recorded twice.
        var late = await MarketplaceBuilder.UploadAsync(vanishing, abandoned.LeaseId, new byte[] { 1 });
        Assert.False(late.IsSuccessStatusCode && (await late.Content.ReadAsStringAsync()).Contains("\"accepted\":true"));
        Assert.Equal(1, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.WorkUnitId == abandoned.WorkUnitId)));
    }

    private async Task<WorkerProcess> PairedWorkerAsync()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        var worker = new WorkerProcess();
        var paired = await worker.RunAsync("pair", "--server", _app.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);
        return worker;
    }

    private Task WaitForCompletionAsync(Guid jobId) => Eventually.TrueAsync(
        () => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
        TimeSpan.FromSeconds(90), "the job to complete");
}
