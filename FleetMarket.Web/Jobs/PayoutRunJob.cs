using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Jobs;

/// <summary>
/// Puts each owner's unpaid earnings in front of finance staff as a payout to review. Idempotent: the
/// amount is what the ledger owes the owner less what open payouts already cover, so a rerun finds nothing.
/// </summary>
public sealed class PayoutRunJob(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace,
    ILogger<PayoutRunJob> logger)
{
    public const string Id = "build-payouts";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var currency = marketplace.Value.Currency;
        var earnings = await db.Postings
            .Where(p => p.Account.StartsWith("owner:") && p.Currency == currency)
            .GroupBy(p => p.Account)
            .Select(g => new { Account = g.Key, Amount = g.Sum(p => p.AmountMinor) })
            .ToListAsync(cancellationToken);
        var open = await db.Payouts.Where(Payout.Open).Where(p => p.Currency == currency)
            .GroupBy(p => p.OwnerId)
            .Select(g => new { OwnerId = g.Key, Amount = g.Sum(p => p.AmountMinor) })
            .ToDictionaryAsync(x => x.OwnerId, x => x.Amount, cancellationToken);

        var now = time.GetUtcNow();
        var created = 0;
        foreach (var owner in earnings)
        {
            var ownerId = owner.Account["owner:".Length..owner.Account.LastIndexOf(':')];
            var due = owner.Amount - open.GetValueOrDefault(ownerId);
            if (owner.Account == LedgerAccounts.OwnerEarnings(ownerId) && due > 0)
            {
                db.Payouts.Add(new Payout(ownerId, due, currency, now));
                created++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Payout run created {Count} payouts for review", created);
    }
}
