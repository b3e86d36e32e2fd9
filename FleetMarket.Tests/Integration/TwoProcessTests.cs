using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Two app instances over one set of SQLite files, as two processes on one machine would run: each money job run
/// on both at the same moment (past Hangfire's own locks) adds no posting and pays no one twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TwoProcessTests : IAsyncLifetime
{
    private readonly FleetApp _first = new();
    private FleetApp _second = null!;

    public Task InitializeAsync()
    {
        _second = new FleetApp([], sharedDataPath: _first.DataPath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task SettlePayoutAndTransfer_OnBothProcessesAtOnce_PostOnceAndPayOnce()
    {
        var market = new MarketplaceBuilder(_first);
        var devices = new[] { await market.PairedDeviceAsync(), await market.PairedDeviceAsync(180) };
        var buyer = await market.BuyerWithBalanceAsync();
        await market.SubmitSampleJobAsync(buyer, rows: 24, rowsPerUnit: 2);
        foreach (var device in devices)
        {
            using var worker = market.DeviceClient(device);
            for (var i = 0; i < 6 && await MarketplaceBuilder.LeaseAsync(worker) is { } lease; i++)
            {
                (await MarketplaceBuilder.CompleteHonestlyAsync(worker, lease)).EnsureSuccessStatusCode();
            }
        }

        var usage = await _first.QueryAsync(db => db.UsageRecords.CountAsync());
        var usageGroups = await _first.QueryAsync(db => db.UsageRecords.GroupBy(u => new { u.JobId, u.OwnerId }).CountAsync(g => g.Sum(u => u.ChargeMinor) != 0));
        await OnBothAtOnceAsync<SettlementTask>(job => job.RunAsync(CancellationToken.None));
        await OnBothAtOnceAsync<PayoutRunTask>(job => job.RunAsync(CancellationToken.None));
        var payouts = await _first.QueryAsync(db => db.Payouts.AsNoTracking().ToListAsync());
        await _first.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<Web.Data.FleetDbContext>();
            (await db.Payouts.ToListAsync()).ForEach(p => p.Approve("finance@test", null, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        foreach (var payout in payouts)
        {
            await OnBothAtOnceAsync<PayoutExecutor>(executor => executor.ExecuteAsync(payout.Id, CancellationToken.None));
        }

        var keys = await _first.QueryAsync(db => db.LedgerTransactions.Select(t => t.IdempotencyKey).ToListAsync());
        Assert.Equal(usageGroups, keys.Count(k => k.StartsWith("usage:"))); // One per job and owner.
        Assert.Equal(devices.Select(d => d.Owner.Id).Order(), payouts.Select(p => p.OwnerId).Order());
        Assert.Equal(payouts.Count, keys.Count(k => k.StartsWith("payout-claim:")));
        Assert.Equal(payouts.Count, keys.Count(k => k.StartsWith("payout:")));
        Assert.All(await _first.QueryAsync(db => db.Payouts.AsNoTracking().ToListAsync()), p => Assert.Equal(PayoutStatus.Paid, p.Status));
        Assert.Equal(0, await _first.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
    }

    /// <summary>
    /// Runs the job in both processes at once. A run that loses a race to the other may fail (a unique key
    /// refused its insert), as Hangfire would see it; then it runs once more, as Hangfire's retry would.
    /// </summary>
    private async Task OnBothAtOnceAsync<TJob>(Func<TJob, Task> run) where TJob : notnull
    {
        async Task RunWithRetryAsync(FleetApp app)
        {
            try
            {
                await app.InScopeAsync(s => run(s.GetRequiredService<TJob>()));
            }
            catch (DbUpdateException)
            {
                await app.InScopeAsync(s => run(s.GetRequiredService<TJob>()));
            }
        }

        await Task.WhenAll(Task.Run(() => RunWithRetryAsync(_first)), Task.Run(() => RunWithRetryAsync(_second)));
    }
}
