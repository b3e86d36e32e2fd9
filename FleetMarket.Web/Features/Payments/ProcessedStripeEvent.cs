namespace FleetMarket.Web.Features.Payments;

/// <summary>A Stripe event already handled: Stripe delivers at least once, so a replay must change nothing.</summary>
public sealed class ProcessedStripeEvent
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}
