using CsvHelper;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// An on-demand job's escrow: held from an estimate of its cost (not a unit's worst case per unit), topped up when
/// the spending outruns it, the job paused when the buyer cannot pay and resumed by a top-up, the rest released at the
/// end; and the sub-cent usage of such a job shown as its total. Own marketplace per test: the model's measured
/// cost and the devices' prices are part of the estimate.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class JobHoldTests : IAsyncLifetime
{
    /// <summary>The test devices' asking price: 1.20 a device-hour.</summary>
    private const long Price = 120;

    /// <summary>What the model is measured at: 3 s for a unit of four rows, the sizer's target, a tenth of a cent at <see cref="Price"/>.</summary>
    private const long UnitMilliseconds = 3_000;

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

    [Fact]
    public async Task Hold_MeasuredModel_IsTheEstimateTimesTheMargin_SpentAsEstimated_RestReleased_AndShownAsOneLinePerJob()
    {
        Start(TestDatabase.Sqlite);
        var device = await _market.PairedDeviceAsync(Price);
        using var worker = _market.DeviceClient(device);
        await MeasureTheModelAsync(worker);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);

        // Asked first, the job's cost is quoted as it will be held, and asking stores nothing.
        var quote = await _app.InScopeAsync(s => s.GetRequiredService<JobService>().QuoteAsync(buyer.Id, Submission(rows: 600)));
        Assert.Equal(0, await _app.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == buyer.Id)));
        Assert.Equal(new BuyerBalance(10_00, 0, "USD"), await BalanceAsync(buyer));

        // 600 rows at 750 ms a row (the measured median) on the one 1.20 device, unchecked: 15 cents, held × 1.5.
        var jobId = await SubmitAsync(buyer, rows: 600);
        var held = await HeldAsync(jobId);
        Assert.Equal(new JobQuote(600, 15_000_000, new Money(held, "USD"), Measured: true, "USD"), quote);
        var units = await _app.QueryAsync(db => db.WorkUnits.CountAsync(u => u.JobId == jobId));
        Assert.Equal(150, units);
        Assert.Equal(23, held);

        await WorkAsync(worker, UnitMilliseconds);
        await CompletedAsync(jobId);
        await _app.RunRecurringJobAsync(SettlementTask.Id);

        // Progress counts the rows accepted, from when a device first took a unit.
        var progress = await _app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyer.Id, jobId));
        Assert.Equal(600, progress.RowsDone);
        Assert.InRange(progress.StartedAt!.Value, progress.CreatedAt, progress.CompletedAt!.Value);
        Assert.True(progress.HoldReturned, "settlement returned the rest of the hold, and the job says so");

        // Spent as estimated, to the millionth: the hold was within the margin of it, not a unit's worst case for each of 150 units.
        var usage = await _app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        var spentMicros = usage.Sum(u => u.ChargeMicros);
        Assert.Equal(15_000_000, spentMicros);
        Assert.Equal(15, usage.Sum(u => u.ChargeMinor));
        Assert.InRange(held * UsagePricing.MicrosPerMinor, spentMicros, spentMicros * 3 / 2 + UsagePricing.MicrosPerMinor);
        Assert.True(held * 100 < 150 * UsagePricing.UnitCap(300, TimeSpan.FromMinutes(5)), "the old hold was a five-minute unit at the maximum price, per unit");
        Assert.Equal(0, await _app.QueryAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.HoldTopUps).SingleAsync()));

        // The unused hold went back, and the ledger balances.
        var balance = await BalanceAsync(buyer);
        Assert.Equal(new BuyerBalance(10_00 - 15, 0, "USD"), balance);
        Assert.Equal(held - 15, await PostedAsync($"job-release:{jobId}", LedgerAccounts.BuyerBalance(buyer.Id)));
        await AssertLedgerBalancedAsync();

        // The buyer's history: one line for the job's 150 units, with the exact total; no unit's posting on its own.
        var history = await _app.InScopeAsync(s => s.GetRequiredService<BalanceService>().HistoryAsync(buyer.Id));
        var jobLine = Assert.Single(history, l => l.Usage is not null);
        Assert.Equal((0L, -15L, 150, 15_000_000L, 600L),
            (jobLine.Available.Minor, jobLine.Held.Minor, jobLine.Usage!.Units, jobLine.Usage.ChargeMicros, jobLine.Usage.Inferences));
        Assert.DoesNotContain(history, l => l.Cause.StartsWith("Usage of unit", StringComparison.Ordinal));
        // A hold and its release are one line each, with both their effects.
        var hold = Assert.Single(history, l => l.Cause.StartsWith("Escrow for job", StringComparison.Ordinal));
        var release = Assert.Single(history, l => l.Cause.StartsWith("Unspent escrow of job", StringComparison.Ordinal));
        Assert.Equal((-held, held), (hold.Available.Minor, hold.Held.Minor));
        Assert.Equal((held - 15, -(held - 15)), (release.Available.Minor, release.Held.Minor));

        // The owner's statement: the job on one line with its exact charge, in the page's figures and the CSV's.
        var month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1);
        var statement = await _app.InScopeAsync(s => s.GetRequiredService<OwnerStatements>().StatementAsync(device.Owner.Id, month));
        var job = Assert.Single(statement.Jobs, j => j.JobId == jobId);
        Assert.Equal((150, 15_000_000L, 15L), (job.Units, job.ChargeMicros, job.Charged.Minor));
        Assert.Equal(statement.Charged.Minor, statement.Jobs.Sum(j => j.Charged.Minor));
        using var csvBody = new MemoryStream();
        await StatementCsv.WriteAsync(csvBody, statement);
        csvBody.Position = 0;
        using var csv = CsvReader.Create(csvBody, new CsvReaderOptions { NullValues = [""] });
        var lines = csv.GetRecords<StatementCsvLine>().ToList();
        var csvJob = Assert.Single(lines, l => l.Item.StartsWith($"Job {job.Reference}:", StringComparison.Ordinal));
        Assert.Equal((15L, 15_000_000L), (csvJob.AmountMinor, csvJob.ExactMicros));
        Assert.Contains("150 work units", csvJob.Item);

        // Finance's drill-down into the owner: the job on one usage line and one ledger line.
        var report = await _app.InScopeAsync(s => s.GetRequiredService<OwnerDrillDown>().ReportAsync(device.Owner.Id));
        var usageLine = Assert.Single(report.Usage, u => u.JobId == jobId);
        Assert.Equal((150, 15_000_000L, 15L, 0), (usageLine.Units, usageLine.ChargeMicros, usageLine.Charge.Minor, usageLine.Unsettled));
        Assert.Single(report.Ledger, l => l.Usage?.JobId == jobId);

        // A page of history is the latest movements; the next shows more.
        var latest = await _app.InScopeAsync(s => s.GetRequiredService<BalanceService>().HistoryAsync(buyer.Id, movements: 2));
        Assert.Equal(history.Take(2), latest);

        // The buyer's history as CSV, from the portal's link: the same movements, the job's with its exact charge.
        using var buyerClient = await TestUsers.SignedInClientAsync(_app, buyer);
        using var export = await buyerClient.GetAsync(BalanceApi.HistoryCsvPath);
        export.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        using var exported = CsvReader.Create(await export.Content.ReadAsStreamAsync(), new CsvReaderOptions { NullValues = [""] });
        var rows = exported.GetRecords<BalanceHistoryCsvRow>().ToList();
        Assert.Equal(history.Select(m => (m.Cause, m.Available.Minor, m.Held.Minor)), rows.Select(r => (r.What, r.AvailableMinor, r.HeldMinor)));
        var jobRow = Assert.Single(rows, r => r.JobId == jobId);
        Assert.Equal((150, 15_000_000L, -0.15m), (jobRow.Units, jobRow.ExactMicros, jobRow.Held));
        Assert.Single(rows, r => r.What == "Balance top-up (simulated, no charge)" && r.Available == 10.00m);
    }

    [ProviderTheory]
    public async Task Hold_SpendingOutrunsTheEstimate_IsToppedUpFromTheBalance_EveryUnitPaidInFull_RestReleased(TestDatabase database)
    {
        Start(database);
        var device = await _market.PairedDeviceAsync(Price);
        using var worker = _market.DeviceClient(device);
        await MeasureTheModelAsync(worker);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);

        // Estimated at 10 cents (held 15), the devices take ten times as long: a cent a unit, a dollar in all.
        var jobId = await SubmitAsync(buyer, rows: 400);
        Assert.Equal(15, await HeldAsync(jobId));
        await WorkAsync(worker, 10 * UnitMilliseconds);
        await CompletedAsync(jobId);

        var job = await _app.QueryAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        var usage = await _app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        Assert.Equal(100, usage.Count);
        Assert.All(usage, u => Assert.Equal(1_000_000, u.ChargeMicros));
        Assert.Equal(1_00, usage.Sum(u => u.ChargeMinor));
        Assert.InRange(job.HoldTopUps, 1, 3);
        Assert.InRange(job.HeldMinor, 1_00, 1_50 + 5);
        var topUps = await _app.QueryAsync(db => db.LedgerTransactions.Where(t => t.IdempotencyKey.StartsWith($"job-hold:{jobId}:"))
            .Select(t => t.Cause).ToListAsync());
        Assert.Equal(job.HoldTopUps, topUps.Count);
        Assert.All(topUps, cause => Assert.Contains("spending outran the estimate", cause));

        await _app.RunRecurringJobAsync(SettlementTask.Id);
        Assert.Equal(new BuyerBalance(10_00 - 1_00, 0, "USD"), await BalanceAsync(buyer));
        Assert.Equal(job.HeldMinor - 1_00, await PostedAsync($"job-release:{jobId}", LedgerAccounts.BuyerBalance(buyer.Id)));
        await AssertLedgerBalancedAsync();
    }

    [ProviderTheory]
    public async Task Hold_BuyerCannotTopUp_JobPausesAndSaysWhy_GetsNoNewUnits_ThenResumesWhenTheBalanceIsToppedUp(TestDatabase database)
    {
        Start(database);
        var device = await _market.PairedDeviceAsync(Price);
        using var worker = _market.DeviceClient(device);
        await MeasureTheModelAsync(worker);
        var buyer = await _market.BuyerWithBalanceAsync(20);
        var jobId = await SubmitAsync(buyer, rows: 400);
        Assert.Equal(new BuyerBalance(5, 15, "USD"), await BalanceAsync(buyer));

        // Ten times the estimate: the hold runs low after a few units, the top-up it needs is beyond the 5 cents left.
        await WorkAsync(worker, 10 * UnitMilliseconds);
        var paused = await _app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyer.Id, jobId));
        Assert.Equal(JobStatus.Paused, paused.Status);
        Assert.Contains("costs more than estimated", paused.PauseReason);
        Assert.Contains("your balance is USD 0.05", paused.PauseReason);
        Assert.Contains("Top up your balance", paused.PauseReason);
        Assert.True(paused.Queued > 0, "units were left to run");
        Assert.Null(await MarketplaceBuilder.LeaseAsync(worker));

        // What it spent stayed within what it held, every unit so far paid in full; the balance untouched.
        Assert.InRange(paused.SpentMinor, 1, paused.HeldMinor);
        Assert.Equal(paused.SpentMicros, paused.Done * 1_000_000L);
        Assert.Equal(new BuyerBalance(5, 15, "USD"), await BalanceAsync(buyer));

        // A top-up of the balance tops up the job's hold and resumes it; the rest runs, all paid.
        await _app.InScopeAsync(s => s.GetRequiredService<BalanceService>().SimulateTopUpAsync(buyer.Id, new Money(5_00, "USD")));
        var resumed = await _app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyer.Id, jobId));
        Assert.Equal((JobStatus.Running, (string?)null), (resumed.Status, resumed.PauseReason));
        Assert.True(resumed.HeldMinor > paused.HeldMinor);
        await WorkAsync(worker, 10 * UnitMilliseconds);
        await CompletedAsync(jobId);
        await _app.RunRecurringJobAsync(SettlementTask.Id);

        var usage = await _app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        Assert.Equal((100, 1_00L), (usage.Count, usage.Sum(u => u.ChargeMinor)));
        Assert.Equal(new BuyerBalance(20 + 5_00 - 1_00, 0, "USD"), await BalanceAsync(buyer));
        await AssertLedgerBalancedAsync();
    }

    [ProviderTheory]
    public async Task Hold_CancelledJobsRunningUnitCostingMostOfTheHold_IsPaidFromWhatIsLeft_NeverToppedUp(TestDatabase database)
    {
        Start(database);
        var device = await _market.PairedDeviceAsync(Price);
        using var worker = _market.DeviceClient(device);
        await MeasureTheModelAsync(worker);
        // Enough balance for the top-up a running job would get.
        var buyer = await _market.BuyerWithBalanceAsync(50_00);
        var jobId = await SubmitAsync(buyer, rows: 400);
        var running = (await MarketplaceBuilder.LeaseAsync(worker))!;

        // Cancelled while its first unit runs; the unit then reports five minutes: 10 of the 15 cents held.
        await _app.InScopeAsync(s => s.GetRequiredService<JobService>().CancelAsync(buyer.Id, jobId));
        (await MarketplaceBuilder.UploadAsync(worker, running.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(worker, running), 300_000))
            .EnsureSuccessStatusCode();
        await _app.RunRecurringJobAsync(SettlementTask.Id);

        var job = await _app.QueryAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        Assert.Equal((JobStatus.Cancelled, 15L, 0), (job.Status, job.HeldMinor, job.HoldTopUps));
        Assert.Equal(10, await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).SumAsync(u => u.ChargeMinor)));
        Assert.Equal(new BuyerBalance(50_00 - 10, 0, "USD"), await BalanceAsync(buyer));
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Hold_ModelNeverRun_IsEstimatedFromTheProbeAssumption_AtTheDearestDeviceTheJobAccepts()
    {
        Start(TestDatabase.Sqlite);
        // The probe's assumption: DefaultRowsPerUnit (4) rows take UnitTargetDuration (3 s), 750 ms a row. Of the devices, the
        // dearest the job's maximum (3.00) allows is 2.40; the 4.00 one cannot take it.
        await _market.PairedDeviceAsync(Price);
        await _market.PairedDeviceAsync(240);
        await _market.PairedDeviceAsync(400);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);

        var jobId = await _app.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Probe", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(600)),
                Verification: VerificationPolicy.Adaptive)));

        // 600 × 750 ms at 2.40 an hour = 30 cents; adaptive checks 15 % more: 34.5; × 1.5 = 51.75, held as 52.
        var job = await _app.QueryAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        Assert.Equal((52L, 57_500L), (job.HeldMinor, job.EstimatedMicrosPerRow));
        // One probe unit of four rows runs first; the rest waits for its measured cost.
        Assert.Equal([4, 596], await _app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).OrderBy(u => u.Index).Select(u => u.RowCount).ToListAsync()));
    }

    /// <summary>A first job of the reference model, run in 3 s units of four rows: its measured cost is then 750 ms a row.</summary>
    private async Task MeasureTheModelAsync(HttpClient worker)
    {
        var measuring = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(measuring, rows: 8, rowsPerUnit: 4);
        await WorkAsync(worker, UnitMilliseconds);
        await CompletedAsync(jobId);
    }

    /// <summary>An unchecked job of the reference model, its units sized by the sizer from the measured cost.</summary>
    private Task<Guid> SubmitAsync(TestUser buyer, int rows) =>
        _app.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id, Submission(rows)));

    private static JobSubmission Submission(int rows) =>
        new("Scoring", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(rows)), Verification: VerificationPolicy.Unchecked);

    /// <summary>Runs every unit the device is offered, each reported as taking <paramref name="computeMilliseconds"/>.</summary>
    private static async Task WorkAsync(HttpClient worker, long computeMilliseconds)
    {
        while (await MarketplaceBuilder.LeaseAsync(worker) is { } lease)
        {
            (await MarketplaceBuilder.UploadAsync(worker, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(worker, lease), computeMilliseconds))
                .EnsureSuccessStatusCode();
        }
    }

    private Task CompletedAsync(Guid jobId) =>
        Eventually.TrueAsync(() => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");

    private Task<long> HeldAsync(Guid jobId) => _app.QueryAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.HeldMinor).SingleAsync());

    private Task<BuyerBalance> BalanceAsync(TestUser buyer) =>
        _app.InScopeAsync(async s => BuyerBalance.From(await s.GetRequiredService<BalanceService>().GetAsync(buyer.Id)));

    private Task<long> PostedAsync(string key, string account) => _app.QueryAsync(db => db.Postings
        .Where(p => p.Account == account && db.LedgerTransactions.Any(t => t.Id == p.TransactionId && t.IdempotencyKey == key))
        .SumAsync(p => p.AmountMinor));

    private async Task AssertLedgerBalancedAsync()
    {
        var check = await _app.InScopeAsync(s => s.GetRequiredService<LedgerService>().CheckAsync());
        Assert.True(check.Balanced, $"ledger unbalanced: {string.Join(", ", check.SumByCurrency)}");
    }
}
