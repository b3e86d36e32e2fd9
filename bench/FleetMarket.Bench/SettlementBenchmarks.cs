using BenchmarkDotNet.Attributes;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Bench;

/// <summary>
/// Settling a batch of usage records into the ledger, against a floor in the same process: writing the
/// same postings with no reads, checks or idempotency keys looked up.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(1)]
[IterationCount(10)]
[InvocationCount(1)]
public class SettlementBenchmarks
{
    private const int Records = 2000;
    private FleetApp _app = default!;
    private PairedDevice _device = default!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _app = new FleetApp();
        var market = new MarketplaceBuilder(_app);
        _device = await market.PairedDeviceAsync();
        var buyer = await market.BuyerWithBalanceAsync(1_000_000_00);
        await market.SubmitSampleJobAsync(buyer, rows: Records, rowsPerUnit: 1);
    }

    /// <summary>Fresh, unsettled usage for every unit, and a ledger holding only the top-up and the hold.</summary>
    [IterationSetup]
    public void FreshUsage() => _app.QueryAsync(async db =>
    {
        await db.LedgerTransactions.Where(t => t.IdempotencyKey.StartsWith("usage:") || t.IdempotencyKey.StartsWith("floor:"))
            .ExecuteDeleteAsync();
        await db.UsageRecords.ExecuteDeleteAsync();
        var job = await db.Jobs.Include(j => j.Units).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        db.UsageRecords.AddRange(job.Units.Select(unit =>
            new UsageRecord(unit, job, _device.DeviceId, _device.Owner.Id, 120, chargeMinor: 5, feeMinor: 1, now)));
        return await db.SaveChangesAsync();
    }).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "floor: insert the postings of 2000 usage records")]
    public Task<int> Floor() => _app.QueryAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        db.LedgerTransactions.AddRange(Enumerable.Range(0, Records).Select(i => LedgerTransaction.Create(
            $"floor:{i}", "floor", "USD", now,
            (LedgerAccounts.BuyerEscrow("b"), -5), (LedgerAccounts.OwnerEarnings("o"), 4), (LedgerAccounts.PlatformFees, 1))));
        return await db.SaveChangesAsync();
    });

    [Benchmark(Description = "settle 2000 usage records")]
    public Task Settle() => _app.InScopeAsync(services => services.GetRequiredService<SettlementJob>().RunAsync(CancellationToken.None));

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
