using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Ledger;

/// <summary>Reads balances from the postings; the ledger is the only record of who holds what.</summary>
public sealed class LedgerService(FleetDbContext db)
{
    public async Task<Money> BalanceAsync(string account, string currency, CancellationToken cancellationToken = default) =>
        new(await db.Postings.Where(p => p.Account == account && p.Currency == currency)
            .SumAsync(p => p.AmountMinor, cancellationToken), currency);

    /// <summary>Adds the transaction unless one with its idempotency key exists; true when it was added.</summary>
    public async Task<bool> TryAddAsync(LedgerTransaction transaction, CancellationToken cancellationToken = default) =>
        await TryAddAllAsync([transaction], cancellationToken) == 1;

    /// <summary>
    /// Adds those of the transactions whose idempotency keys are not yet in the ledger, looking the keys up
    /// in one query; returns how many were added. The unique index still guards a race with another node.
    /// </summary>
    public async Task<int> TryAddAllAsync(IReadOnlyCollection<LedgerTransaction> transactions, CancellationToken cancellationToken = default)
    {
        var keys = transactions.Select(t => t.IdempotencyKey).ToList();
        var existing = await db.LedgerTransactions.Where(t => keys.Contains(t.IdempotencyKey))
            .Select(t => t.IdempotencyKey)
            .ToHashSetAsync(cancellationToken);
        var added = transactions.Where(t => !existing.Contains(t.IdempotencyKey)).ToList();
        db.LedgerTransactions.AddRange(added);
        return added.Count;
    }

    /// <summary>Proves the double entry holds over the whole ledger; finance staff can run it at any time.</summary>
    public async Task<LedgerCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var sums = await db.Postings.GroupBy(p => p.Currency)
            .Select(g => new { Currency = g.Key, Sum = g.Sum(p => p.AmountMinor) })
            .ToDictionaryAsync(x => x.Currency, x => x.Sum, cancellationToken);
        var unbalanced = await db.Postings.GroupBy(p => p.TransactionId)
            .Where(g => g.Sum(p => p.AmountMinor) != 0)
            .Select(g => g.Key)
            .Take(100)
            .ToListAsync(cancellationToken);
        return new LedgerCheck(await db.LedgerTransactions.CountAsync(cancellationToken), await db.Postings.CountAsync(cancellationToken),
            sums, unbalanced);
    }

    public async Task<IReadOnlyList<LedgerLine>> HistoryAsync(IReadOnlyList<string> accounts, int take,
        CancellationToken cancellationToken = default) =>
        await Lines(accounts).Take(take).ToListAsync(cancellationToken);

    /// <summary>
    /// The accounts' history with settled usage as one line per job instead of one per unit. A unit's posting carries
    /// the whole minor units its job's meter crossed (see <see cref="Domain.Pricing.Metering"/>): often none, sometimes one,
    /// so a job of 150 units would read as a scatter of one-cent lines. The job's line has the total posted, and the
    /// exact charge and the work beside it. Reversals of usage keep lines of their own.
    /// </summary>
    /// <param name="side">Whose usage: the buyer's (paid from escrow) or the owner's (their share, to earnings).</param>
    public async Task<IReadOnlyList<LedgerLine>> HistoryByJobAsync(IReadOnlyList<string> accounts, UsageSide side, string userId, int take,
        CancellationToken cancellationToken = default)
    {
        var postings = await Lines(accounts, exceptKeysStartingWith: UsageKeyPrefix).Take(take).ToListAsync(cancellationToken);
        var usage = db.UsageRecords.AsNoTracking().Where(u => u.SettledAt != null);
        usage = side == UsageSide.Buyer ? usage.Where(u => u.BuyerId == userId) : usage.Where(u => u.OwnerId == userId);
        var jobs = await usage.GroupBy(u => new { u.JobId, u.Currency })
            .Select(g => new
            {
                g.Key.JobId,
                g.Key.Currency,
                Units = g.Count(),
                Charged = g.Sum(u => u.ChargeMinor),
                Fees = g.Sum(u => u.FeeMinor),
                Micros = g.Sum(u => u.ChargeMicros),
                Compute = g.Sum(u => u.ComputeMilliseconds),
                Inferences = g.Sum(u => u.InferenceCount),
                Last = g.Max(u => u.SettledAt),
            })
            .OrderByDescending(j => j.Last)
            .Take(take)
            .Join(db.Jobs, j => j.JobId, job => job.Id, (j, job) => new { Usage = j, job.Name })
            .ToListAsync(cancellationToken);
        var account = side == UsageSide.Buyer ? LedgerAccounts.BuyerEscrow(userId) : LedgerAccounts.OwnerEarnings(userId);
        var lines = jobs.Select(j => new LedgerLine(j.Usage.Last!.Value, $"Usage of job {j.Name}", account,
            new Money(side == UsageSide.Buyer ? -j.Usage.Charged : j.Usage.Charged - j.Usage.Fees, j.Usage.Currency),
            new JobUsage(j.Usage.JobId, j.Name, j.Usage.Units, j.Usage.Compute, j.Usage.Inferences, j.Usage.Micros)));
        return postings.Concat(lines).OrderByDescending(l => l.At).Take(take).ToList();
    }

    /// <summary>The key prefix of usage settlement (SettlementEntries.SettleUsage); reversals are <c>usage-reversal:</c>.</summary>
    private const string UsageKeyPrefix = "usage:";

    private IQueryable<LedgerLine> Lines(IReadOnlyList<string> accounts, string? exceptKeysStartingWith = null)
    {
        var lines = db.Postings.Where(p => accounts.Contains(p.Account))
            .Join(db.LedgerTransactions, p => p.TransactionId, t => t.Id, (p, t) => new { Posting = p, Transaction = t });
        if (exceptKeysStartingWith is not null)
        {
            lines = lines.Where(x => !x.Transaction.IdempotencyKey.StartsWith(exceptKeysStartingWith));
        }

        return lines.OrderByDescending(x => x.Transaction.CreatedAt)
            .Select(x => new LedgerLine(x.Transaction.CreatedAt, x.Transaction.Cause, x.Posting.Account,
                new Money(x.Posting.AmountMinor, x.Posting.Currency), null));
    }
}

public enum UsageSide
{
    Buyer,
    Owner,
}

/// <summary>A job's settled usage on one ledger line: its units, the work, and what it cost exactly (millionths of a minor unit).</summary>
public sealed record JobUsage(Guid JobId, string JobName, int Units, long ComputeMilliseconds, long Inferences, long ChargeMicros);

/// <summary>The trial balance: every currency's postings sum to zero and every transaction balances.</summary>
public sealed record LedgerCheck(int Transactions, int Postings, IReadOnlyDictionary<string, long> SumByCurrency,
    IReadOnlyList<Guid> UnbalancedTransactions)
{
    public bool Balanced => SumByCurrency.Values.All(sum => sum == 0) && UnbalancedTransactions.Count == 0;
}

/// <param name="Usage">On a line that sums a job's settled usage, what it sums.</param>
public sealed record LedgerLine(DateTimeOffset At, string Cause, string Account, Money Amount, JobUsage? Usage = null);
