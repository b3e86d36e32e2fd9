using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetMarket.Tests.EndToEnd;

/// <summary>The real worker on a marketplace whose blobs are in object storage (Azurite): its bytes go to and from the store directly.</summary>
[Collection(AppCollection.Name)]
public sealed class ObjectStorageWorkerTests : IAsyncDisposable
{
    private FleetApp? _app;
    private MarketplaceBuilder _market = null!;

    private void Start(TimeSpan? transferUrlLifetime = null, Dictionary<string, string?>? settings = null)
    {
        _app = FleetApp.OnObjectStorage(transferUrlLifetime, settings);
        _market = new MarketplaceBuilder(_app);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheWorker_RunsAJob_WithNoByteRelayedByTheWebNode_AndTheOutputsAreRight()
    {
        Start();
        using var relayed = new RelayedBytesMeter();
        using var worker = await PairedWorkerAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 12, rowsPerUnit: 4);

        using (var running = worker.Start("run"))
        {
            await WaitForCompletionAsync(jobId);
            await WorkerProcess.StopAsync(running);
        }

        var outputs = await _app!.InScopeAsync(async services =>
        {
            var output = await services.GetRequiredService<JobService>().OpenOutputAsync(buyer.Id, jobId);
            await using var content = output.Content;
            return Npy.Read(content);
        });
        Assert.Equal(ReferenceModel.Compute(ReferenceModel.SampleInputs(12)).ToFloats(), outputs.ToFloats());
        Assert.Equal(0, relayed.Relayed);
        Assert.True(relayed.ReadBack > 0, "the server read the uploaded outputs back to check them");
    }

    [Fact]
    public async Task AWorkerRestarted_WithAKeptResultWhoseUploadUrlRanOut_GetsAFreshOneByRenewing_AndIsPaid()
    {
        Start(TimeSpan.FromSeconds(2), new() { ["Marketplace:LeaseDuration"] = "00:01:00" });
        using var worker = await PairedWorkerAsync();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 2);
        // The worker leased the unit and finished it, then stopped before its upload: the result is kept on disk.
        using var device = _app!.ProbeClient(new WorkerSettingsStore(worker.Home).Load()!.Credential);
        var lease = (await MarketplaceBuilder.LeaseAsync(device))!;
        var outputs = await MarketplaceBuilder.HonestOutputsAsync(device, lease);
        new PendingCompletions(Path.Combine(worker.Home, "pending"), NullLogger<PendingCompletions>.Instance)
            .Save(new PendingCompletion(lease.LeaseId, lease.WorkUnitId, 1_000, 2, outputs, lease.Transfer!.OutputsUrl));

        await Task.Delay(TimeSpan.FromSeconds(3));
        var run = await worker.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("renewing the lease for fresh ones", run.Output);
        Assert.Equal(1, await _app!.QueryAsync(db => db.UsageRecords.CountAsync(u => u.WorkUnitId == lease.WorkUnitId)));
        await WaitForCompletionAsync(jobId);
    }

    [Fact]
    public async Task AWorker_WhoseOutputsAreLargerThanAllowed_IsRefused_AndNothingIsPaid()
    {
        // The unit's outputs fit by the server's estimate at submission (176 bytes), so the job is taken; the worker's .npz,
        // with the whole archive's framing, does not.
        Start(settings: new() { ["Marketplace:MaxOutputBytes"] = "200" });
        using var worker = await PairedWorkerAsync();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 4, rowsPerUnit: 4);

        var run = await worker.RunAsync("run", "--once");

        Assert.Contains("may be at most 200 bytes", run.Output + run.Error);
        Assert.Equal(0, await _app!.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
        Assert.False(await _app.QueryAsync(db => db.WorkUnits.AnyAsync(u => u.JobId == jobId && u.Status == WorkUnitStatus.Done)));
    }

    private async Task<WorkerProcess> PairedWorkerAsync()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        var worker = new WorkerProcess { Environment = { ["Logging__LogLevel__Default"] = "Information" } };
        var paired = await worker.RunAsync("pair", "--server", _app!.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);
        return worker;
    }

    private Task WaitForCompletionAsync(Guid jobId) => Eventually.TrueAsync(
        () => _app!.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
        TimeSpan.FromSeconds(90), "the job to complete");
}
