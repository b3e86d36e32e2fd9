namespace FleetMarket.Domain.Payouts;

/// <summary>An owner's connected payout account at the payment provider, and whether it can receive money yet.</summary>
public sealed class PayoutAccount
{
    private PayoutAccount()
    {
    }

    public PayoutAccount(string ownerId, string providerAccountId, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        OwnerId = ownerId;
        ProviderAccountId = providerAccountId;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string OwnerId { get; private set; } = "";
    public string ProviderAccountId { get; private set; } = "";
    public bool DetailsSubmitted { get; private set; }
    public bool PayoutsEnabled { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public PayoutAccountState State => PayoutsEnabled ? PayoutAccountState.Ready
        : DetailsSubmitted ? PayoutAccountState.UnderReview
        : PayoutAccountState.OnboardingIncomplete;

    /// <summary>Takes the provider's view; an older report (webhooks can arrive out of order) changes nothing.</summary>
    public void Update(bool detailsSubmitted, bool payoutsEnabled, DateTimeOffset reportedAt)
    {
        if (reportedAt < UpdatedAt)
        {
            return;
        }

        DetailsSubmitted = detailsSubmitted;
        PayoutsEnabled = payoutsEnabled;
        UpdatedAt = reportedAt;
    }

    /// <summary>How Stripe's last payout from the connected account to the owner's bank went: paid or failed.</summary>
    public string? LastBankPayoutStatus { get; private set; }
    public DateTimeOffset? LastBankPayoutAt { get; private set; }
    public string? LastBankPayoutFailure { get; private set; }

    /// <summary>Records a bank payout's outcome; an older report than the one recorded changes nothing.</summary>
    public void RecordBankPayout(string status, string? failure, DateTimeOffset reportedAt)
    {
        if (reportedAt < LastBankPayoutAt)
        {
            return;
        }

        LastBankPayoutStatus = status;
        LastBankPayoutFailure = failure;
        LastBankPayoutAt = reportedAt;
    }
}

public enum PayoutAccountState
{
    OnboardingIncomplete,
    UnderReview,
    Ready,
}
