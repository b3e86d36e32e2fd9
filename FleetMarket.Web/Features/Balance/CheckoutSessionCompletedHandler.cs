using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using Hangfire;
using Stripe;
using Stripe.Checkout;

namespace FleetMarket.Web.Features.Balance;

/// <summary>
/// <c>checkout.session.completed</c>: credits a paid top-up to the buyer's balance. The ledger key is the
/// Checkout Session's id, so a session is credited once even if Stripe sends it under two event ids.
/// </summary>
public sealed class CheckoutSessionCompletedHandler(LedgerService ledger, TimeProvider time, IBackgroundJobClient backgroundJobs) : IStripeEventHandler
{
    public string EventType => EventTypes.CheckoutSessionCompleted;

    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Session { PaymentStatus: "paid", AmountTotal: > 0, Currency.Length: > 0 } session
            || session.Metadata?.GetValueOrDefault("purpose") != "top-up"
            || string.IsNullOrEmpty(session.ClientReferenceId))
        {
            return;
        }

        await ledger.TryAddAsync(SettlementEntries.TopUp(session.ClientReferenceId, session.AmountTotal!.Value,
            session.Currency.ToUpperInvariant(), session.Id, simulated: false, time.GetUtcNow()), cancellationToken);

        // Jobs paused for want of funds resume once the credit is saved; settle-usage's sweep is the backstop.
        var buyerId = session.ClientReferenceId;
        backgroundJobs.Schedule<JobEscrow>(escrow => escrow.ResumeAsync(buyerId, CancellationToken.None), TimeSpan.FromSeconds(5));
    }
}
