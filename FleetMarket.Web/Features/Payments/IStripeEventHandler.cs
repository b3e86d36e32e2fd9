using Stripe;

namespace FleetMarket.Web.Features.Payments;

/// <summary>Handles one type of Stripe event; changes are saved with the event's processed record, together.</summary>
public interface IStripeEventHandler
{
    string EventType { get; }

    Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken);
}
