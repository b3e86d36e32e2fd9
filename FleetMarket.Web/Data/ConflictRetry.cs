using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace FleetMarket.Web.Data;

/// <summary>
/// The one way to try a write again when another writer got there first. Each attempt runs whole: it reads afresh
/// what the winner saved and decides again, so there is no backoff and the retry follows at once (on SQLite the
/// write gate queues the writers; on SQL Server the rows the winner locked are free by the time its commit is
/// seen). The caller names what a conflict is (<see cref="Saving"/> or <see cref="Statement"/>) and how many
/// attempts it takes; the last attempt's conflict propagates, as does anything that is not one. Before each retry
/// the change tracker given is cleared, so the next attempt starts from the database, not from the loser's edits;
/// a caller whose context holds changes that are not the attempt's own gives none.
/// </summary>
public static class ConflictRetry
{
    /// <summary>
    /// A save refused by what another writer committed: a concurrency token that changed
    /// (<see cref="DbUpdateConcurrencyException"/>) or a unique key it took first: any <see cref="DbUpdateException"/>,
    /// which is also how a save reports that SQLite could not get its lock in time or that SQL Server chose it as a
    /// deadlock victim.
    /// </summary>
    public static bool Saving(Exception exception) => exception is DbUpdateException;

    /// <summary>A statement run directly (ExecuteSql), not through SaveChanges, that the database refused: a unique key another writer took.</summary>
    public static bool Statement(Exception exception) => exception is DbException;

    public static async Task<T> RunAsync<T>(int attempts, Func<Exception, bool> isConflict, ChangeTracker? clear,
        Func<int, Task<T>> attempt)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number);
            }
            catch (Exception exception) when (number < attempts && isConflict(exception))
            {
                clear?.Clear();
            }
        }
    }

    public static Task RunAsync(int attempts, Func<Exception, bool> isConflict, ChangeTracker? clear, Func<int, Task> attempt) =>
        RunAsync(attempts, isConflict, clear, async number =>
        {
            await attempt(number);
            return true;
        });
}
