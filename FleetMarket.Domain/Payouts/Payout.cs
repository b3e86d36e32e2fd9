using System.Linq.Expressions;

namespace FleetMarket.Domain.Payouts;

/// <summary>
/// Money owed to an owner, claimed from their earnings by a payout run, reviewed by finance staff, then
/// transferred to their connected account. One per owner per run day: the database refuses a second, so two
/// runs at once cannot pay anyone twice.
/// </summary>
public sealed class Payout
{
    private Payout()
    {
    }

    public Payout(string ownerId, long amountMinor, string currency, DateOnly runDate, DateOnly payBy, PayoutAnomalies anomalies,
        DateTimeOffset now)
    {
        if (amountMinor <= 0)
        {
            throw new DomainException("A payout must be above zero.");
        }

        Id = Guid.NewGuid();
        OwnerId = ownerId;
        AmountMinor = amountMinor;
        Currency = currency;
        RunDate = runDate;
        PayBy = payBy;
        Anomalies = anomalies;
        Status = PayoutStatus.PendingReview;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string OwnerId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public PayoutStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The payout run that created it; unique per owner.</summary>
    public DateOnly RunDate { get; private set; }

    /// <summary>The day the money should be in the owner's account: before their car lease payment is due.</summary>
    public DateOnly PayBy { get; private set; }

    /// <summary>What the payout run found worth a reviewer's closer look.</summary>
    public PayoutAnomalies Anomalies { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public string? ReviewedBy { get; private set; }

    /// <summary>Why it was held, released or approved, as the reviewer wrote it.</summary>
    public string? ReviewNote { get; private set; }

    /// <summary>The Stripe transfer, or a <c>simulated-…</c> reference where no Stripe keys are configured.</summary>
    public string? TransferId { get; private set; }
    public bool Simulated { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public string? FailureReason { get; private set; }

    /// <summary>Not paid yet and not failed: the money is set aside in the owner's payable account.</summary>
    public bool IsOpen => Status is PayoutStatus.PendingReview or PayoutStatus.Held or PayoutStatus.Approved;

    /// <summary>Waiting for a reviewer's decision.</summary>
    public static Expression<Func<Payout, bool>> AwaitingReview => payout =>
        payout.Status == PayoutStatus.PendingReview || payout.Status == PayoutStatus.Held;

    public void Approve(string reviewer, string? note, DateTimeOffset now)
    {
        Require(PayoutStatus.PendingReview, "approved");
        Review(PayoutStatus.Approved, reviewer, note, now);
    }

    public void Hold(string reviewer, string reason, DateTimeOffset now)
    {
        Require(PayoutStatus.PendingReview, "held");
        Review(PayoutStatus.Held, reviewer, RequireReason(reason), now);
    }

    /// <summary>Lifts a hold: the payout goes back to review.</summary>
    public void Release(string reviewer, string reason, DateTimeOffset now)
    {
        Require(PayoutStatus.Held, "released");
        Review(PayoutStatus.PendingReview, reviewer, RequireReason(reason), now);
    }

    public void MarkPaid(string transferId, bool simulated, DateTimeOffset now)
    {
        if (Status == PayoutStatus.Paid)
        {
            return;
        }

        Require(PayoutStatus.Approved, "paid");
        TransferId = transferId;
        Simulated = simulated;
        Status = PayoutStatus.Paid;
        PaidAt = now;
    }

    /// <summary>The transfer could not be made, or Stripe reversed it.</summary>
    public void MarkFailed(string reason, DateTimeOffset now)
    {
        if (Status is not (PayoutStatus.Approved or PayoutStatus.Paid))
        {
            throw new DomainException($"A {Describe(Status)} payout cannot fail.");
        }

        Status = PayoutStatus.Failed;
        FailureReason = reason;
        ReviewedAt ??= now;
    }

    private void Require(PayoutStatus expected, string verb)
    {
        if (Status != expected)
        {
            throw new DomainException($"Only a {Describe(expected)} payout can be {verb}; this one is {Describe(Status)}.");
        }
    }

    private void Review(PayoutStatus decision, string reviewer, string? note, DateTimeOffset now)
    {
        Status = decision;
        ReviewedBy = reviewer;
        ReviewNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        ReviewedAt = now;
    }

    private static string RequireReason(string reason) => string.IsNullOrWhiteSpace(reason)
        ? throw new DomainException("Give a reason: it goes in the audit log.")
        : reason;

    private static string Describe(PayoutStatus status) => status switch
    {
        PayoutStatus.PendingReview => "pending",
        _ => status.ToString().ToLowerInvariant(),
    };
}
