namespace FleetMarket.Domain.Ledger;

/// <summary>
/// One balanced movement of money with its cause. The idempotency key is unique in the store, so the
/// same business event (a usage record, a job's release, a payout) can never post twice.
/// </summary>
public sealed class LedgerTransaction
{
    private readonly List<Posting> _postings = [];

    private LedgerTransaction()
    {
    }

    private LedgerTransaction(string idempotencyKey, string cause, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        IdempotencyKey = idempotencyKey;
        Cause = cause;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public string Cause { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<Posting> Postings => _postings;

    /// <summary>Builds a transaction from (account, amount) legs; throws unless they sum to zero per currency.</summary>
    public static LedgerTransaction Create(string idempotencyKey, string cause, string currency, DateTimeOffset now,
        params (string Account, long AmountMinor)[] legs)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || string.IsNullOrWhiteSpace(cause))
        {
            throw new ArgumentException("Every ledger transaction names its key and its cause.");
        }

        if (legs.Length < 2 || legs.Sum(leg => leg.AmountMinor) != 0)
        {
            throw new InvalidOperationException($"Unbalanced ledger transaction '{cause}'.");
        }

        var transaction = new LedgerTransaction(idempotencyKey, cause, now);
        foreach (var (account, amount) in legs.Where(leg => leg.AmountMinor != 0))
        {
            transaction._postings.Add(new Posting(transaction.Id, account, amount, currency));
        }

        return transaction;
    }
}
