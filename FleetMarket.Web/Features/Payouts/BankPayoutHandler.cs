using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// Stripe's payouts from an owner's connected account to their bank: recorded on the owner's payout account,
/// so owners see when money reached them and finance staff see when it did not.
/// </summary>
public abstract class BankPayoutHandler(FleetDbContext db) : IStripeEventHandler
{
    public abstract string EventType { get; }

    public async Task HandleAsync(Stripe.Event stripeEvent, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Stripe.Payout payout || string.IsNullOrEmpty(stripeEvent.Account))
        {
            return;
        }

        var account = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.ProviderAccountId == stripeEvent.Account, cancellationToken);
        account?.RecordBankPayout(payout.Status, payout.FailureMessage, new DateTimeOffset(stripeEvent.Created, TimeSpan.Zero));
    }
}

/// <summary><c>payout.paid</c>: the money reached the owner's bank.</summary>
public sealed class PayoutPaidHandler(FleetDbContext db) : BankPayoutHandler(db)
{
    public override string EventType => Stripe.EventTypes.PayoutPaid;
}

/// <summary><c>payout.failed</c>: the owner's bank refused the money; Stripe keeps it on the connected account.</summary>
public sealed class PayoutFailedHandler(FleetDbContext db) : BankPayoutHandler(db)
{
    public override string EventType => Stripe.EventTypes.PayoutFailed;
}
