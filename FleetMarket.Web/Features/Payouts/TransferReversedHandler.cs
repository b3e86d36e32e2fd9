using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// <c>transfer.reversed</c>: money came back from an owner's connected account. The payout fails and the
/// reversed amount is owed to the owner again, for a later payout.
/// </summary>
public sealed class TransferReversedHandler(FleetDbContext db, LedgerService ledger, TimeProvider time) : IStripeEventHandler
{
    public string EventType => EventTypes.TransferReversed;

    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Transfer { AmountReversed: > 0 } transfer)
        {
            return;
        }

        var payout = await db.Payouts.SingleOrDefaultAsync(p => p.TransferId == transfer.Id, cancellationToken);
        if (payout is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (payout.Status == PayoutStatus.Paid)
        {
            payout.MarkFailed($"Stripe reversed {transfer.AmountReversed} of the transfer.", now);
        }

        await ledger.TryAddAsync(SettlementEntries.ReverseTransfer(payout, transfer.Id, transfer.AmountReversed, now), cancellationToken);
    }
}
