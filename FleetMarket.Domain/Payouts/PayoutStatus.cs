namespace FleetMarket.Domain.Payouts;

public enum PayoutStatus
{
    PendingReview,
    Approved,
    Held,
}
