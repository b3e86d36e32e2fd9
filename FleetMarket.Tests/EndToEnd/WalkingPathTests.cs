using System.Net.Http.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Payouts;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.EndToEnd;

/// <summary>
/// The whole walking path through real parts: the app on a real port with SQLite and Hangfire, the real
/// worker program in its own process running ONNX Runtime, the buyer's HTTP API, settlement and payouts.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WalkingPathTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task WalkingPath_OwnerPairsWorker_BuyerJobRuns_OutputsInOrder_OwnerPayoutApproved()
    {
        // 1. An owner adds a device and gets a one-time pairing code.
        var (owner, code) = await _market.DeviceAwaitingPairingAsync(askingPricePerHourMinor: 150);

        // 2. The worker pairs with it.
        using var worker = new WorkerProcess();
        var paired = await worker.RunAsync("pair", "--server", app.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);

        // 3. A buyer with a balance submits a job through the HTTP API.
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        using var buyerClient = await TestUsers.SignedInClientAsync(app, buyer);
        var inputs = MarketplaceBuilder.SampleInputs(rows: 10);
        var submitted = await buyerClient.PostAsync("/api/jobs", new MultipartFormDataContent
        {
            { new ByteArrayContent(ReferenceModel.Build()), "model", "mlp.onnx" },
            { new ByteArrayContent(Npy.ToBytes(inputs)), "inputs", "inputs.npy" },
            { new StringContent("3"), "rowsPerUnit" },
            { new StringContent("none"), "verification" },
        });
        submitted.EnsureSuccessStatusCode();
        var job = (await submitted.Content.ReadFromJsonAsync<JobProgress>(ApiJson.Options))!;
        Assert.Equal(4, job.Units);

        // 4. The worker leases the units, runs them with ONNX Runtime and uploads the outputs.
        var run = await worker.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);

        // 5. The buyer sees the job complete and downloads the outputs, rows in input order.
        await Eventually.TrueAsync(async () => (await buyerClient.GetFromJsonAsync<JobProgress>($"/api/jobs/{job.Id}", ApiJson.Options))!.Status == JobStatus.Completed,
            TimeSpan.FromSeconds(30), "the job to complete");
        var outputs = Npy.Read(await buyerClient.GetByteArrayAsync($"/api/jobs/{job.Id}/outputs"));
        var expected = ReferenceModel.Compute(inputs);
        Assert.Equal(expected.Shape, outputs.Shape);
        Assert.All(outputs.ToFloats().Zip(expected.ToFloats()), pair => Assert.Equal(pair.Second, pair.First, 1e-5f));

        // 6. Usage is settled into the ledger and the owner's payout reaches finance, who approve it. Metering is exact,
        // so ten rows of a small model earned a fraction of a cent: the owner's second car also runs a minute-long unit.
        Assert.Equal(4, await app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == job.Id)));
        using (var secondCar = _market.DeviceClient(await _market.PairedDeviceOfAsync(owner)))
        {
            await _market.SubmitSampleJobAsync(buyer, rows: 1, rowsPerUnit: 1);
            var lease = (await MarketplaceBuilder.LeaseAsync(secondCar))!;
            (await MarketplaceBuilder.CompleteHonestlyAsync(secondCar, lease)).EnsureSuccessStatusCode();
        }

        await app.RunRecurringJobAsync(SettlementTask.Id);
        await app.RunRecurringJobAsync(PayoutRunTask.Id);
        var finance = await TestUsers.CreateAsync(app, Roles.Finance);
        var payout = await app.InScopeAsync(async s =>
            (await s.GetRequiredService<PayoutService>().QueryAsync(new PayoutQuery(PayoutStatus.PendingReview))).Rows
            .Single(p => p.OwnerEmail == owner.Email));
        await app.InScopeAsync(s => s.GetRequiredService<PayoutService>().ApproveAsync(new Actor(finance.Id, finance.Email), payout.Id));

        // 7. The approved payout is transferred (simulated here: no Stripe keys) and posted.
        await Eventually.TrueAsync(async () => await app.QueryAsync(db => db.Payouts.AnyAsync(p => p.Id == payout.Id && p.Status == PayoutStatus.Paid)),
            TimeSpan.FromSeconds(30), "the payout to be paid");
        var paid = await app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payout.Id));
        Assert.True(paid.Simulated);
        Assert.True(paid.AmountMinor > 0);
        Assert.Equal(0, await app.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
    }

    [Fact]
    public async Task WorkerRun_AsAService_CompletesQueuedWork_AndStopsCleanlyOnSigterm()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        using var worker = new WorkerProcess();
        Assert.Equal(0, (await worker.RunAsync("pair", "--server", app.BaseAddress.ToString(), "--code", code.Code)).ExitCode);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 2);

        using var service = worker.Start("run");
        await Eventually.TrueAsync(
            () => app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(60), "the running worker to finish the job");
        var stopped = await WorkerProcess.StopAsync(service);

        Assert.True(stopped.ExitCode == 0, $"exit {stopped.ExitCode}: {stopped.Error}{stopped.Output}");
        Assert.Equal(0, await app.QueryAsync(db => db.WorkUnits.CountAsync(u => u.JobId == jobId && u.Status != WorkUnitStatus.Done)));
    }
}
