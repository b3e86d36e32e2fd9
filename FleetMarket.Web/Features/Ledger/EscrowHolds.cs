using System.Data.Common;
using FleetMarket.Domain;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Ledger;

/// <summary>
/// Moves money from a buyer's balance into escrow only when the balance covers it. The check and the hold
/// run in one database transaction that first touches the buyer's <see cref="BalanceGuard"/>, so concurrent
/// holds (two jobs, a job and a reservation, two nodes) are serialised and the balance never goes below zero.
/// </summary>
public sealed class EscrowHolds(FleetDbContext db, LedgerService ledger)
{
    /// <summary>
    /// Saves the context's pending changes together with <paramref name="hold"/>, or nothing at all when the
    /// buyer's balance is below <paramref name="amount"/>; then <paramref name="shortOfFunds"/> explains, given the balance.
    /// </summary>
    public Task SaveWithHoldAsync(string buyerId, LedgerTransaction hold, Money amount,
        Func<Money, string> shortOfFunds, CancellationToken cancellationToken = default) =>
        WithBalanceAsync(buyerId, amount.Currency, async balance =>
        {
            if (balance.Minor < amount.Minor)
            {
                throw new DomainException(shortOfFunds(balance));
            }

            await ledger.TryAddAsync(hold, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> with the buyer's balance while no other hold can take from it, then saves the
    /// context's pending changes (what <paramref name="work"/> staged, ledger transactions included) and commits.
    /// Statements <paramref name="work"/> runs itself (ExecuteUpdate) are in the same transaction.
    /// </summary>
    public async Task<T> WithBalanceAsync<T>(string buyerId, string currency, Func<Money, Task<T>> work,
        CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.BuyerBalance(buyerId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(account, cancellationToken);
        var result = await work(await ledger.BalanceAsync(account, currency, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// For a caller that saves in a transaction of its own (a completion topping up its job's hold): stages
    /// <paramref name="hold"/> when the balance covers <paramref name="amount"/>; says whether it did and what the balance was. Optimistic:
    /// the buyer's guard is saved with the version read here, so the caller's save fails (a
    /// <see cref="DbUpdateConcurrencyException"/>, to decide again) if any other hold took from the balance meanwhile.
    /// </summary>
    public async Task<(bool Staged, Money Balance)> TryStageHoldAsync(string buyerId, LedgerTransaction hold, Money amount,
        CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.BuyerBalance(buyerId);
        var guard = await db.Set<BalanceGuard>().SingleOrDefaultAsync(g => g.Account == account, cancellationToken);
        var balance = await ledger.BalanceAsync(account, amount.Currency, cancellationToken);
        if (balance.Minor < amount.Minor)
        {
            return (false, balance);
        }

        if (guard is null)
        {
            // Another first hold creating the row at the same moment makes this save fail on the key.
            db.Set<BalanceGuard>().Add(new BalanceGuard(account));
        }
        else
        {
            guard.Touch();
        }

        // Added, not tried: a key already in the ledger means this decision was made on stale figures.
        db.LedgerTransactions.Add(hold);
        return (true, balance);
    }

    /// <summary>
    /// Touches the buyer's guard, creating it the first time. A conflict: another transaction created the guard first,
    /// and the update now finds and locks it. The tracker is kept: it holds the caller's pending changes.
    /// </summary>
    private Task LockAsync(string account, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync(2, ConflictRetry.Statement, clear: null, async _ =>
        {
            if (await db.Set<BalanceGuard>().Where(g => g.Account == account)
                    .ExecuteUpdateAsync(set => set.SetProperty(g => g.Version, g => g.Version + 1), cancellationToken) > 0)
            {
                return;
            }

            // Not through the change tracker: that would save the caller's pending changes before the check.
            await db.Database.ExecuteSqlInterpolatedAsync(InsertGuard(account), cancellationToken);
        });

    /// <summary>Runs on either provider: quoted identifiers are standard SQL, and SQL Server's connections quote with them.</summary>
    [SqlServerStatement]
    private static FormattableString InsertGuard(string account) =>
        $"INSERT INTO \"BalanceGuards\" (\"Account\", \"Version\") VALUES ({account}, 0)";
}
