using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Settlement;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Settlement;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// The set-based settlement of usage (SQL per provider, each test body on each): what it writes for each job and owner
/// must read back through EF Core as exactly what <see cref="SettlementEntries.SettleUsage"/> builds, and no rerun or
/// concurrent run may post twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UsageSettlementTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 30, 15, TimeSpan.Zero);
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>The recurring run would settle the tests' records under them; each test runs settlement itself.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database);
        _market = new MarketplaceBuilder(_app);
        _app.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(SettlementTask.Id);
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
    public async Task SettleBatch_PostingsReadBackThroughEf_AsSettleUsageBuildsThem(TestDatabase database)
    {
        Start(database);
        // Two jobs on two owners' devices: an ordinary record with one without a fee, one that is all fee; and a job
        // whose only record costs nothing.
        var first = await UsageAsync([(5_00, 1_00), (7, 0)]);
        var second = await UsageAsync([(3, 3)]);
        var free = await UsageAsync([(0, 0)]);
        List<UsageRecord> records = [.. first, .. second, .. free];

        var batch = await SettleBatchAsync(100);

        Assert.Equal(new UsageBatch(4, 4, 5_00 + 7 + 3, 1_00 + 3, records.Min(r => r.RecordedAt), records.Max(r => r.RecordedAt)), batch);
        await _app.QueryAsync(async db =>
        {
            Assert.All(await db.UsageRecords.AsNoTracking().ToListAsync(), record => Assert.Equal(Now, record.SettledAt));
            foreach (var group in new[] { first, second })
            {
                var expected = SettlementEntries.SettleUsage(group, Now);
                var actual = await db.LedgerTransactions.AsNoTracking().Include(t => t.Postings)
                    .SingleAsync(t => t.IdempotencyKey == expected.IdempotencyKey);
                Assert.Equal(expected.Cause, actual.Cause);
                Assert.Equal(Now, actual.CreatedAt);
                Assert.Equal(Legs(expected), Legs(actual));
                Assert.Equal(0, actual.Postings.Sum(p => p.AmountMinor));

                // Ids made in SQL are Guids EF Core reads, finds by parameter and joins on. On SQLite they grow with time
                // (version 7, appended to the ledger's indexes); SQL Server orders uniqueidentifiers by their last bytes,
                // where a version 7 Guid is random, so it takes NEWID()'s: not a ledger rule, so not held to both.
                if (database == TestDatabase.Sqlite)
                {
                    Assert.Equal(7, actual.Id.Version);
                }

                Assert.Equal(actual.Id, (await db.LedgerTransactions.AsNoTracking().SingleAsync(t => t.Id == actual.Id)).Id);
                Assert.All(actual.Postings, p => Assert.Equal(actual.Id, p.TransactionId));
                Assert.Equal(actual.Postings.Count, await db.Postings.CountAsync(p => p.TransactionId == actual.Id));
            }

            // Nothing for the work that cost nothing; the buyers' top-ups and holds, then one transaction per job and owner.
            Assert.Equal(2, await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey.StartsWith("usage:")));
            var ids = await db.Postings.Select(p => p.Id).ToListAsync();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            return true;
        });
        Assert.True((await _app.InScopeAsync(s => s.GetRequiredService<LedgerService>().CheckAsync())).Balanced);
    }

    [ProviderTheory]
    public async Task SettleBatch_SmallBatches_SettleEveryRecordOnceAndReportTheirTotals(TestDatabase database)
    {
        Start(database);
        var records = await UsageAsync(Enumerable.Repeat((5L, 1L), 23).ToList());

        var batches = new List<UsageBatch>();
        do
        {
            batches.Add(await SettleBatchAsync(10));
        }
        while (batches[^1].Marked == 10);

        Assert.Equal(new[] { 10, 10, 3 }, batches.Select(b => b.Posted));
        Assert.Equal(23 * 5, batches.Sum(b => b.ChargedMinor));
        Assert.Equal(records.Max(r => r.RecordedAt), batches.Max(b => b.To));

        // One job on one owner's devices: one transaction per batch.
        Assert.Equal(3, await _app.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey.StartsWith("usage:"))));
        Assert.Equal(0, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.SettledAt == null)));
    }

    [ProviderTheory]
    public async Task SettlementJob_RunTwice_SecondRunAddsNothing(TestDatabase database)
    {
        Start(database);
        var records = await UsageAsync(Enumerable.Repeat((5L, 1L), 12).ToList());

        await RunSettlementAsync();
        var after = await LedgerSizeAsync();
        await RunSettlementAsync();

        Assert.Equal((1 + 2, 3 + 4), after); // The buyer's top-up and the job's hold, then the job's usage on the owner's device.
        Assert.Equal(after, await LedgerSizeAsync());
        var run = await _app.QueryAsync(db => db.SettlementRuns.AsNoTracking().SingleAsync());
        Assert.Equal((12, 12 * 5L, 12 * 1L), (run.UsageRecords, run.ChargedMinor, run.FeesMinor));
        Assert.Equal((records.Min(r => r.RecordedAt), records.Max(r => r.RecordedAt)), (run.PeriodFrom, run.PeriodTo));
    }

    [ProviderTheory]
    public async Task SettlementJob_TwoRunsAtOnce_PostEachRecordOnce(TestDatabase database)
    {
        Start(database);
        await UsageAsync(Enumerable.Repeat((5L, 1L), 40).ToList());

        // Two scopes are two connections, as two processes on one database would have; Hangfire's lock is bypassed.
        await Task.WhenAll(RunSettlementAsync(), RunSettlementAsync());

        Assert.Equal((1 + 2, 3 + 4), await LedgerSizeAsync());
        var runs = await _app.QueryAsync(db => db.SettlementRuns.AsNoTracking().ToListAsync());
        Assert.Equal(40, runs.Sum(r => r.UsageRecords));
        Assert.Equal(40 * 5, runs.Sum(r => r.ChargedMinor));
        Assert.True((await _app.InScopeAsync(s => s.GetRequiredService<LedgerService>().CheckAsync())).Balanced);
    }

    [ProviderTheory]
    public async Task SettleBatch_TwoSettlersInterleaving_PostEachRecordOnce(TestDatabase database)
    {
        Start(database);
        await UsageAsync(Enumerable.Repeat((5L, 1L), 60).ToList());

        async Task<List<UsageBatch>> SettleAllAsync()
        {
            var batches = new List<UsageBatch>();
            do
            {
                batches.Add(await SettleBatchAsync(4));
            }
            while (batches[^1].Marked == 4);

            return batches;
        }

        var both = await Task.WhenAll(SettleAllAsync(), SettleAllAsync());

        Assert.Equal(60, both.Sum(batches => batches.Sum(b => b.Posted)));
        Assert.Equal((60 / 4 + 2, 60 / 4 * 3 + 4), await LedgerSizeAsync()); // One transaction per batch of four.
    }

    [ProviderTheory]
    public async Task SettleBatch_RecordAlreadyPostedUnderItsKey_IsMarkedButNotPostedAgain(TestDatabase database)
    {
        Start(database);
        var records = await UsageAsync([(5, 1), (5, 1)]);
        await _app.InScopeAsync(async services =>
        {
            await services.GetRequiredService<LedgerService>().TryAddAsync(SettlementEntries.SettleUsage([records[0]], Now));
            return await services.GetRequiredService<FleetDbContext>().SaveChangesAsync();
        });

        var batch = await SettleBatchAsync(100);

        Assert.Equal((2, 1, 5L), (batch.Marked, batch.Posted, batch.ChargedMinor));
        Assert.Equal((2 + 2, 2 * 3 + 4), await LedgerSizeAsync());
        Assert.Equal(0, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.SettledAt == null)));
    }

    private static List<(string Account, long AmountMinor, string Currency)> Legs(LedgerTransaction transaction) =>
        transaction.Postings.Select(p => (p.Account, p.AmountMinor, p.Currency)).Order().ToList();

    private Task<UsageBatch> SettleBatchAsync(int batchSize) =>
        _app.InScopeAsync(services => services.GetRequiredService<IUsageSettlement>().SettleBatchAsync(batchSize, Now, CancellationToken.None));

    private Task RunSettlementAsync() =>
        _app.InScopeAsync(services => services.GetRequiredService<SettlementTask>().RunAsync(CancellationToken.None));

    private Task<(int Transactions, int Postings)> LedgerSizeAsync() =>
        _app.QueryAsync(async db => (await db.LedgerTransactions.CountAsync(), await db.Postings.CountAsync()));

    /// <summary>Unsettled usage of one device, a unit of a fresh job each, recorded a second apart; charge and fee as given.</summary>
    private async Task<List<UsageRecord>> UsageAsync(IReadOnlyList<(long Charge, long Fee)> prices)
    {
        var device = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync(1_000_00);
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: prices.Count, rowsPerUnit: 1);
        return await _app.QueryAsync(async db =>
        {
            var job = await db.Jobs.Include(j => j.Units).SingleAsync(j => j.Id == jobId);
            var records = job.Units.OrderBy(u => u.Index).Select((unit, i) => new UsageRecord(unit, job, device.DeviceId, device.Owner.Id,
                pricePerHourMinor: 120, prices[i].Charge, prices[i].Fee, Now.AddMinutes(-60).AddSeconds(i))).ToList();
            db.UsageRecords.AddRange(records);
            await db.SaveChangesAsync();
            return records;
        });
    }
}
