namespace FleetMarket.Domain.Settlement;

/// <summary>Something Stripe and the ledger disagree on, found by reconcile-stripe, until finance staff resolve it.</summary>
public sealed class ReconciliationDifference
{
    private ReconciliationDifference()
    {
    }

    public ReconciliationDifference(string kind, string reference, long? ledgerMinor, long? stripeMinor, string note, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Kind = kind;
        Reference = reference;
        LedgerMinor = ledgerMinor;
        StripeMinor = stripeMinor;
        Note = note;
        FoundAt = now;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset FoundAt { get; private set; }

    /// <summary>missing-in-stripe, unknown-to-ledger, amount-differs.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The transfer or payout it is about; unique per kind, so a daily rerun records a difference once.</summary>
    public string Reference { get; private set; } = "";
    public long? LedgerMinor { get; private set; }
    public long? StripeMinor { get; private set; }
    public string Note { get; private set; } = "";
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }

    public void Resolve(string by, DateTimeOffset now)
    {
        ResolvedAt ??= now;
        ResolvedBy ??= by;
    }
}
