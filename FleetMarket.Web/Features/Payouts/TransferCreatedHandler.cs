using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// <c>transfer.created</c>: Stripe confirms a payout's transfer. If execute-payout died after Stripe made the
/// transfer and before it was recorded, this records it: the payout is paid and posted, once.
/// </summary>
public sealed class TransferCreatedHandler(FleetDbContext db, LedgerService ledger, TimeProvider time) : IStripeEventHandler
{
    public string EventType => EventTypes.TransferCreated;

    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Transfer transfer
            || !Guid.TryParse(transfer.Metadata?.GetValueOrDefault("payout_id"), out var payoutId))
        {
            return;
        }

        var payout = await db.Payouts.SingleOrDefaultAsync(p => p.Id == payoutId, cancellationToken);
        if (payout is not { Status: PayoutStatus.Approved } || payout.AmountMinor != transfer.Amount)
        {
            return;
        }

        var now = time.GetUtcNow();
        payout.MarkPaid(transfer.Id, simulated: false, now);
        await ledger.TryAddAsync(SettlementEntries.PayOut(payout, now), cancellationToken);
    }
}
