namespace FleetMarket.Domain.Payouts;

/// <summary>
/// A payout's way: pending review → approved (or held, and released back to review) → paid, or failed when
/// the transfer could not be made or Stripe reversed it; a failed payout's money goes back to the owner's earnings.
/// </summary>
public enum PayoutStatus
{
    PendingReview,
    Approved,
    Held,
    Paid,
    Failed,
}
