using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task Job_TwoThousandRowsOnTwoWorkers_OutputsInInputOrder_AndNeitherWorkerIsThrottled()
    {
        using var first = await PairedWorkerAsync();
        using var second = await PairedWorkerAsync();
        var buyer = await _market.BuyerWithBalanceAsync(10_000_00);
        // Four rows a unit: 500 round trips between two workers, the cadence that once ran into the worker API's limit.
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2_000, rowsPerUnit: 4);

        using var a = first.Start("run");
        using var b = second.Start("run");
        await WaitForCompletionAsync(jobId);
        var runs = new[] { await WorkerProcess.StopAsync(a), await WorkerProcess.StopAsync(b) };

        foreach (var run in runs)
        {
            Assert.DoesNotContain("429", run.Output + run.Error);
            Assert.DoesNotContain("Too many requests", run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
        }

        var outputs = await _app.InScopeAsync(async services =>
        {
            var output = await services.GetRequiredService<JobService>().OpenOutputAsync(buyer.Id, jobId);
            await using var content = output.Content;
            return Npy.Read(content);
        });
        Assert.Equal(ReferenceModel.Compute(ReferenceModel.SampleInputs(2_000)).ToFloats(), outputs.ToFloats());
        Assert.Equal(500, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
    }

    [Fact]
    public async Task Worker_KilledHoldingLeases_AndRestartedAtOnce_JobCompletes_EachUnitPaidOnce()
    {
        using var worker = await PairedWorkerAsync();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(10_000_00), rows: 200, rowsPerUnit: 1);

        using (var killed = worker.Start("run"))
        {
            await Eventually.TrueAsync(() => _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)).ContinueWith(t => t.Result >= 20),
                TimeSpan.FromSeconds(60), "the worker to be well into the job");
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
        }

        using var restarted = worker.Start("run");
        await WaitForCompletionAsync(jobId);
        await WorkerProcess.StopAsync(restarted);

        var usage = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).Select(u => u.WorkUnitId).ToListAsync());
        Assert.Equal(200, usage.Count);
        Assert.Equal(200, usage.Distinct().Count());
    }

    private async Task<WorkerProcess> PairedWorkerAsync()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        // Warnings and errors only: a worker's log of hundreds of units would fill its output pipe before the test reads it.
        var worker = new WorkerProcess { Environment = { ["Logging__LogLevel__Default"] = "Warning" } };
        var paired = await worker.RunAsync("pair", "--server", _app.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);
        return worker;
    }

    private Task WaitForCompletionAsync(Guid jobId) => Eventually.TrueAsync(
        () => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
        TimeSpan.FromSeconds(90), "the job to complete");
}
