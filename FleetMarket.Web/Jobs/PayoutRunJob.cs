using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Jobs;

/// <summary>
/// build-payouts: for each owner whose earnings pass the minimum, or whose car lease payment is near, claims
/// the earnings into a payout for review, scheduled to land before the due day. Idempotent across retries and
/// nodes: a payout is unique per owner and run day, and its claim moves the earnings to payable in the same
/// transaction, so a rerun finds nothing left to claim.
/// </summary>
public sealed class PayoutRunJob(FleetDbContext db, LedgerService ledger, PayoutFactsReader facts, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace, IOptions<PayoutOptions> options, ILogger<PayoutRunJob> logger)
{
    public const string Id = "build-payouts";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var currency = marketplace.Value.Currency;
        var settings = options.Value;
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var earnings = await db.Postings
            // A range rather than StartsWith, which SQLite's LIKE answers by reading every posting.
            .Where(p => string.Compare(p.Account, "owner:") > 0 && string.Compare(p.Account, "owner;") < 0)
            .Where(p => p.Account.EndsWith(":earnings") && p.Currency == currency)
            .GroupBy(p => p.Account)
            .Select(g => new { Account = g.Key, Amount = g.Sum(p => p.AmountMinor) })
            .Where(x => x.Amount > 0)
            .ToListAsync(cancellationToken);
        var ownerIds = earnings.Select(e => OwnerOf(e.Account)).ToList();
        var leases = await db.CarLeases.AsNoTracking().Where(l => ownerIds.Contains(l.OwnerId)).ToDictionaryAsync(l => l.OwnerId, cancellationToken);

        var toPay = earnings
            .Select(e => (OwnerId: OwnerOf(e.Account), e.Amount))
            .Select(e => (e.OwnerId, e.Amount, DueDate: leases.GetValueOrDefault(e.OwnerId)?.NextDueDate(today)))
            .Select(e => (e.OwnerId, e.Amount, e.DueDate, DueSoon: e.DueDate is { } day && day.DayNumber - today.DayNumber <= settings.LeaseDueWithinDays))
            .Where(e => e.Amount >= settings.MinimumPayoutMinor || e.DueSoon)
            .ToList();
        var ownerFacts = await facts.ReadAsync(toPay.ToDictionary(e => e.OwnerId, e => e.Amount), cancellationToken);

        var created = 0;
        foreach (var (ownerId, amount, dueDate, dueSoon) in toPay)
        {
            var payBy = dueSoon ? Max(today, dueDate!.Value.AddDays(-1)) : today.AddDays(settings.DaysToLand);
            var anomalies = PayoutAnomalyRules.Evaluate(ownerFacts[ownerId], settings.NewDeviceEarningsLimitMinor);
            var payout = new Payout(ownerId, amount, currency, today, payBy, anomalies, now);
            db.Payouts.Add(payout);
            await ledger.TryAddAsync(SettlementEntries.ClaimForPayout(payout, now), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                created++;
            }
            catch (DbUpdateException)
            {
                // Another run (a retry, another node) built this owner's payout for today first.
                db.ChangeTracker.Clear();
            }
        }

        logger.LogInformation("Payout run created {Count} payouts for review", created);
    }

    private static string OwnerOf(string earningsAccount) => earningsAccount["owner:".Length..earningsAccount.LastIndexOf(':')];

    private static DateOnly Max(DateOnly left, DateOnly right) => left > right ? left : right;
}
