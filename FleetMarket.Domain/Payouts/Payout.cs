using System.Linq.Expressions;

namespace FleetMarket.Domain.Payouts;

/// <summary>Money owed to an owner, waiting for finance staff to approve or hold it.</summary>
public sealed class Payout
{
    private Payout()
    {
    }

    public Payout(string ownerId, long amountMinor, string currency, DateTimeOffset now)
    {
        if (amountMinor <= 0)
        {
            throw new DomainException("A payout must be above zero.");
        }

        Id = Guid.NewGuid();
        OwnerId = ownerId;
        AmountMinor = amountMinor;
        Currency = currency;
        Status = PayoutStatus.PendingReview;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string OwnerId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public PayoutStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public string? ReviewedBy { get; private set; }

    /// <summary>Amounts not yet paid out, still counted against the owner's earnings.</summary>
    public bool IsOpen => Status is PayoutStatus.PendingReview or PayoutStatus.Held;

    /// <summary><see cref="IsOpen"/> as a query the database runs.</summary>
    public static Expression<Func<Payout, bool>> Open => payout =>
        payout.Status == PayoutStatus.PendingReview || payout.Status == PayoutStatus.Held;

    public void Approve(string reviewer, DateTimeOffset now) => Review(PayoutStatus.Approved, reviewer, now);

    public void Hold(string reviewer, DateTimeOffset now) => Review(PayoutStatus.Held, reviewer, now);

    private void Review(PayoutStatus decision, string reviewer, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            throw new DomainException($"This payout is already {Status.ToString().ToLowerInvariant()}.");
        }

        Status = decision;
        ReviewedBy = reviewer;
        ReviewedAt = now;
    }
}
