using FleetMarket.Domain.Ledger;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Ledger;

/// <summary>Reads balances from the postings; the ledger is the only record of who holds what.</summary>
public sealed class LedgerService(FleetDbContext db)
{
    public Task<long> BalanceAsync(string account, string currency, CancellationToken cancellationToken = default) =>
        db.Postings.Where(p => p.Account == account && p.Currency == currency)
            .SumAsync(p => p.AmountMinor, cancellationToken);

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
        await db.Postings.Where(p => accounts.Contains(p.Account))
            .Join(db.LedgerTransactions, p => p.TransactionId, t => t.Id, (p, t) => new { Posting = p, Transaction = t })
            .OrderByDescending(x => x.Transaction.CreatedAt)
            .Take(take)
            .Select(x => new LedgerLine(x.Transaction.CreatedAt, x.Transaction.Cause, x.Posting.Account, x.Posting.AmountMinor, x.Posting.Currency))
            .ToListAsync(cancellationToken);
}

/// <summary>The trial balance: every currency's postings sum to zero and every transaction balances.</summary>
public sealed record LedgerCheck(int Transactions, int Postings, IReadOnlyDictionary<string, long> SumByCurrency,
    IReadOnlyList<Guid> UnbalancedTransactions)
{
    public bool Balanced => SumByCurrency.Values.All(sum => sum == 0) && UnbalancedTransactions.Count == 0;
}

public sealed record LedgerLine(DateTimeOffset At, string Cause, string Account, long AmountMinor, string Currency);
