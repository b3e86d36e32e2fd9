using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace FleetMarket.Web.Features.Payouts;

/// <summary><c>account.updated</c>: keeps an owner's payout account status in step with Stripe.</summary>
public sealed class AccountUpdatedHandler(FleetDbContext db) : IStripeEventHandler
{
    public string EventType => EventTypes.AccountUpdated;

    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Account account)
        {
            return;
        }

        var payoutAccount = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.ProviderAccountId == account.Id, cancellationToken);
        payoutAccount?.Update(account.DetailsSubmitted, account.PayoutsEnabled, new DateTimeOffset(stripeEvent.Created, TimeSpan.Zero));
    }
}
