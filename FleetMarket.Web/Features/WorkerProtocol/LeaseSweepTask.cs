using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Expired leases go back to the queue by themselves (see <see cref="WorkUnit.LeasableAt"/>); this sweep
/// counts them against their devices, fails units that have used all their attempts or whose reservation
/// ended, and the jobs they belong to, so nothing waits forever.
/// </summary>
public sealed class LeaseSweepTask(FleetDbContext db, TimeProvider time)
{
    public const string Id = "sweep-leases";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // A lease run out is a timed-out result on the device's record; its unit goes back to the queue, or fails
        // once it has used its attempts.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await db.WorkUnits.Where(u => u.Status == WorkUnitStatus.Leased && u.LeaseExpiresAt < now).ToListAsync(cancellationToken);
        foreach (var timedOut in expired.GroupBy(u => u.DeviceId!.Value))
        {
            await db.Devices.Where(d => d.Id == timedOut.Key)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.TimedOutResults, d => d.TimedOutResults + timedOut.Count()), cancellationToken);
        }

        foreach (var unit in expired)
        {
            unit.Release(unit.LeaseId!.Value, "the lease expired");
        }

        // A cancelled job's unit whose device vanished would otherwise hold its escrow forever.
        var jobIds = expired.Select(u => u.JobId).Distinct().ToList();
        var cancelled = await db.Jobs.Where(j => jobIds.Contains(j.Id) && j.Status == JobStatus.Cancelled).Select(j => j.Id).ToListAsync(cancellationToken);
        foreach (var unit in expired.Where(u => cancelled.Contains(u.JobId)))
        {
            unit.Withdraw("the buyer cancelled the job");
        }

        // A reservation's jobs run only inside its window: what has not started by its end never will.
        var stranded = await db.WorkUnits
            .Where(u => u.Status == WorkUnitStatus.Queued)
            .Where(u => db.Jobs.Any(j => j.Id == u.JobId && db.Reservations.Any(r => r.Id == j.ReservationId && r.WindowEnd <= now)))
            .ToListAsync(cancellationToken);
        stranded.ForEach(unit => unit.Withdraw("the reservation's window ended before the unit could run"));

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var failing = await db.Jobs.Include(j => j.Units)
            .Where(j => j.Status == JobStatus.Running || j.Status == JobStatus.Queued || j.Status == JobStatus.Paused)
            .Where(j => j.Units.Any(u => u.Status == WorkUnitStatus.Failed)
                        && !j.Units.Any(u => u.Status == WorkUnitStatus.Queued || u.Status == WorkUnitStatus.Leased
                                             || u.Status == WorkUnitStatus.Checking))
            .ToListAsync(cancellationToken);
        foreach (var job in failing)
        {
            var failed = job.Units.Where(u => u.Status == WorkUnitStatus.Failed).ToList();
            job.Fail($"{failed.Count} of {job.Units.Count} units failed; first: {failed[0].FailureReason}", now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
