using System.Data.Common;
using System.Runtime.CompilerServices;
using FleetMarket.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Pulses <see cref="WorkSignal"/> after any save that queued a work unit, whichever code path queued it
/// (submission, release, lease sweep), so waiting devices are told once the rows are committed: at once for a save
/// of its own, at the commit for a save inside a transaction (a submission saves with its hold). Told before the
/// commit, a waiter would look, find nothing yet, and wait for its next poll.
/// </summary>
public sealed class QueuedWorkInterceptor(WorkSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Contexts whose save in flight queues a unit; weak, so a context that throws is not kept alive.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _queuing = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PulseIfQueued(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        PulseIfQueued(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => PulseIfQueued(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        PulseIfQueued(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<WorkUnit>().Any(IsNewlyQueued))
        {
            _queuing.AddOrUpdate(context, this);
        }
    }

    /// <param name="committed">Called at a commit; else after a save, which inside a transaction waits for its commit.</param>
    private void PulseIfQueued(DbContext? context, bool committed = false)
    {
        if (context is not null && (committed || context.Database.CurrentTransaction is null) && _queuing.Remove(context))
        {
            signal.Pulse();
        }
    }

    /// <summary>Rolled back: the units were never queued.</summary>
    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _queuing.Remove(context);
        }
    }

    private static bool IsNewlyQueued(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<WorkUnit> entry) =>
        entry.Entity.Status == WorkUnitStatus.Queued
        && (entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(u => u.Status).IsModified));
}
