using System.Data.Common;
using FleetMarket.Domain;
using FleetMarket.Domain.Ledger;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Ledger;

/// <summary>
/// Moves money from a buyer's balance into escrow only when the balance covers it. The check and the hold
/// run in one database transaction that first touches the buyer's <see cref="BalanceGuard"/>, so concurrent
/// holds (two jobs, a job and a reservation, two nodes) are serialised and the balance never goes below zero.
/// </summary>
public sealed class EscrowHolds(FleetDbContext db, LedgerService ledger, IWriteGate writes)
{
    /// <summary>
    /// Saves the context's pending changes together with <paramref name="hold"/>, or nothing at all when the
    /// buyer's balance is below <paramref name="amountMinor"/>; then <paramref name="shortOfFunds"/> explains, given the balance.
    /// </summary>
    public async Task SaveWithHoldAsync(string buyerId, LedgerTransaction hold, long amountMinor, string currency,
        Func<long, string> shortOfFunds, CancellationToken cancellationToken = default)
    {
        var account = LedgerAccounts.BuyerBalance(buyerId);
        using (await writes.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(account, cancellationToken);
            var balance = await ledger.BalanceAsync(account, currency, cancellationToken);
            if (balance < amountMinor)
            {
                throw new DomainException(shortOfFunds(balance));
            }

            await ledger.TryAddAsync(hold, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task LockAsync(string account, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await db.BalanceGuards.Where(g => g.Account == account)
                    .ExecuteUpdateAsync(set => set.SetProperty(g => g.Version, g => g.Version + 1), cancellationToken) > 0)
            {
                return;
            }

            try
            {
                // Not through the change tracker: that would save the caller's pending changes before the check.
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO \"BalanceGuards\" (\"Account\", \"Version\") VALUES ({account}, 0)", cancellationToken);
                return;
            }
            catch (DbException) when (attempt == 0)
            {
                // Another transaction created the guard first; the update above now finds and locks it.
            }
        }
    }
}
