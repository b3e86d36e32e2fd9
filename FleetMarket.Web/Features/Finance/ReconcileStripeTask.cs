using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Payments;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Finance;

/// <summary>
/// reconcile-stripe: compares the platform's Stripe transfers of the last weeks with the paid payouts in the
/// ledger, and records each difference once for finance staff: a transfer the ledger does not know, a paid
/// payout Stripe does not know, or amounts that differ. Without Stripe keys there is nothing to compare.
/// </summary>
public sealed class ReconcileStripeTask(FleetDbContext db, StripeGateway stripe, TimeProvider time, ILogger<ReconcileStripeTask> logger)
{
    public const string Id = "reconcile-stripe";
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(35);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!stripe.IsConfigured)
        {
            logger.LogInformation("Stripe is not configured: payouts are simulated, nothing to reconcile");
            return;
        }

        var now = time.GetUtcNow();
        var since = now - Lookback;
        var transfers = (await stripe.TransfersSinceAsync(since, cancellationToken)).ToDictionary(t => t.Id);
        var paid = await db.Payouts.AsNoTracking()
            .Where(p => p.TransferId != null && !p.Simulated && p.PaidAt >= since)
            .Select(p => new { p.Id, TransferId = p.TransferId!, p.AmountMinor })
            .ToListAsync(cancellationToken);

        var found = new List<ReconciliationDifference>();
        foreach (var payout in paid)
        {
            if (!transfers.TryGetValue(payout.TransferId, out var transfer))
            {
                found.Add(new ReconciliationDifference("missing-in-stripe", payout.TransferId, payout.AmountMinor, null,
                    $"Payout {payout.Id} is paid in the ledger, but Stripe lists no such transfer.", now));
            }
            else if (transfer.AmountMinor != payout.AmountMinor)
            {
                found.Add(new ReconciliationDifference("amount-differs", payout.TransferId, payout.AmountMinor, transfer.AmountMinor,
                    $"Payout {payout.Id} and its transfer disagree on the amount.", now));
            }
        }

        var known = paid.Select(p => p.TransferId).ToHashSet();
        found.AddRange(transfers.Values.Where(t => !known.Contains(t.Id)).Select(t => new ReconciliationDifference("unknown-to-ledger", t.Id,
            null, t.AmountMinor, $"Stripe transferred {new Domain.Money.Money(t.AmountMinor, t.Currency)} to {t.Destination}; no paid payout names this transfer.", now)));

        var references = found.Select(d => d.Reference).ToList();
        var recorded = await db.ReconciliationDifferences.Where(d => references.Contains(d.Reference))
            .Select(d => new { d.Kind, d.Reference }).ToListAsync(cancellationToken);
        var fresh = found.Where(d => !recorded.Any(r => r.Kind == d.Kind && r.Reference == d.Reference)).ToList();
        db.ReconciliationDifferences.AddRange(fresh);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Reconciled {Transfers} Stripe transfers with {Payouts} paid payouts: {New} new differences",
            transfers.Count, paid.Count, fresh.Count);
    }
}
