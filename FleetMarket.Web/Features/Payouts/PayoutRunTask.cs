using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// build-payouts: for each owner whose earnings pass the minimum, or whose car lease payment is near, claims
/// the earnings into a payout for review, scheduled to land before the due day. Idempotent across retries and
/// nodes: a payout is unique per owner and run day, and its claim moves the earnings to payable in the same
/// transaction, so a rerun finds nothing left to claim.
/// </summary>
public sealed class PayoutRunTask(FleetDbContext db, LedgerService ledger, UnclaimedEarnings earnings, PayoutFactsReader facts, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace, IOptions<PayoutOptions> options, ILogger<PayoutRunTask> logger)
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
        var toPay = (await earnings.ReadAsync(today, cancellationToken)).Where(e => e.Payable(today, settings)).ToList();
        var ownerFacts = await facts.ReadAsync(toPay.ToDictionary(e => e.OwnerId, e => e.Amount.Minor), cancellationToken);

        var created = 0;
        foreach (var owner in toPay)
        {
            var payBy = owner.CarPaymentDueSoon(today, settings) ? Max(today, owner.CarPaymentDueDate!.Value.AddDays(-1)) : today.AddDays(settings.DaysToLand);
            var anomalies = PayoutAnomalyRules.Evaluate(ownerFacts[owner.OwnerId], settings.NewDeviceEarningsLimitMinor);
            var payout = new Payout(owner.OwnerId, owner.Amount.Minor, currency, today, payBy, anomalies, now);
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
            }
            finally
            {
                // Each save would otherwise look for changes in every payout saved before it: 11 ms an owner at 1,000.
                db.ChangeTracker.Clear();
            }
        }

        logger.LogInformation("Payout run created {Count} payouts for review", created);
    }

    private static DateOnly Max(DateOnly left, DateOnly right) => left > right ? left : right;
}
