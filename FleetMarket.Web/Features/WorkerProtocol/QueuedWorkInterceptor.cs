using System.Runtime.CompilerServices;
using FleetMarket.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Pulses <see cref="WorkSignal"/> after any save that queued a work unit, whichever code path queued it
/// (submission, release, lease sweep), so waiting devices are told once the rows are committed.
/// </summary>
public sealed class QueuedWorkInterceptor(WorkSignal signal) : SaveChangesInterceptor
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

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<WorkUnit>().Any(IsNewlyQueued))
        {
            _queuing.AddOrUpdate(context, this);
        }
    }

    private void PulseIfQueued(DbContext? context)
    {
        if (context is not null && _queuing.Remove(context))
        {
            signal.Pulse();
        }
    }

    private static bool IsNewlyQueued(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<WorkUnit> entry) =>
        entry.Entity.Status == WorkUnitStatus.Queued
        && (entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(u => u.Status).IsModified));
}
