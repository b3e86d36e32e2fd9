using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// settle-usage: turns accepted usage into postings (buyer escrow → owner earnings + platform fee), reverses
/// work found wrong after it was settled, returns the unspent escrow of finished jobs and reservations, and
/// records what each run settled; and resumes paused jobs whose buyer's balance now covers them, should the top-up
/// that did it not have resumed them itself. Idempotent: each usage record and each release posts under a unique
/// key in the same transaction that marks it done, so a second run, or a run on another node, adds nothing.
/// </summary>
public sealed class SettlementTask(FleetDbContext db, IUsageSettlement usage, LedgerService ledger, JobEscrow escrow, TimeProvider time,
    ILogger<SettlementTask> logger)
{
    public const string Id = "settle-usage";

    /// <summary>
    /// Records settled per database transaction, and grouped per job and owner into one ledger transaction each.
    /// Measured on SQLite with a million records when each record posted its own transaction (docs/benchmarks.md):
    /// 10,000 took 31 s, 25,000 24 s, 50,000 21 s, 100,000 18 s, because every batch rewrote the pages of the
    /// idempotency-key index it touched. A batch holds the write lock while it runs (about half a second at 50,000),
    /// and workers' completions wait behind it: this is the compromise. The benchmark groups its floor by it.
    /// </summary>
    public const int BatchSize = 50_000;

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var run = new SettlementRun(time.GetUtcNow());
        UsageBatch batch;
        do
        {
            batch = await usage.SettleBatchAsync(BatchSize, time.GetUtcNow(), cancellationToken);
            if (batch is { Posted: > 0, From: { } from, To: { } to })
            {
                run.Add(batch.Posted, batch.ChargedMinor, batch.FeesMinor, from, to);
            }
        }
        while (batch.Marked == BatchSize);

        var reversed = await SettleReversalsAsync(cancellationToken);
        var released = await ReleaseFinishedJobsAsync(cancellationToken);
        var reservations = await ReleaseFinishedReservationsAsync(cancellationToken);
        var resumed = await escrow.ResumeAllAsync(cancellationToken);
        if (run.UsageRecords > 0)
        {
            run.Finish(time.GetUtcNow());
            db.SettlementRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation(
            "Settled {Usage} usage records, reversed {Reversed}, released escrow of {Jobs} jobs and {Reservations} reservations, resumed {Resumed} paused jobs",
            run.UsageRecords, reversed, released, reservations, resumed);
    }

    /// <summary>Work found wrong after it was settled: the buyer is refunded, the owner's share and the fee are taken back.</summary>
    private async Task<int> SettleReversalsAsync(CancellationToken cancellationToken)
    {
        var reversed = await db.UsageRecords.Where(u => u.ReversedAt != null && u.SettledAt != null && u.ReversalSettledAt == null)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        await ledger.TryAddAllAsync(reversed.Select(usage => SettlementEntries.ReverseUsage(usage, usage.ReversalReason!, now)).ToList(),
            cancellationToken);
        reversed.ForEach(usage => usage.MarkReversalSettled(now));
        await db.SaveChangesAsync(cancellationToken);
        return reversed.Count;
    }

    private async Task<int> ReleaseFinishedJobsAsync(CancellationToken cancellationToken)
    {
        var finished = new[] { JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled };
        var jobs = await db.Jobs.Where(j => finished.Contains(j.Status) && j.EscrowReleasedAt == null)
            .Where(j => !db.UsageRecords.Any(u => u.JobId == j.Id && u.SettledAt == null))

            // A cancelled job's units that were running may still finish and be paid from the escrow.
            .Where(j => !db.WorkUnits.Any(u => u.JobId == j.Id && u.Status == WorkUnitStatus.Leased))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var job in jobs)
        {
            var spent = await db.UsageRecords.Where(u => u.JobId == job.Id).SumAsync(u => u.ChargeMinor, cancellationToken);
            if (job.HeldMinor > spent)
            {
                await ledger.TryAddAsync(SettlementEntries.ReleaseEscrow(job, job.HeldMinor - spent, now), cancellationToken);
            }

            job.MarkEscrowReleased(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return jobs.Count;
    }

    /// <summary>Ended or cancelled reservations whose jobs have nothing running or unsettled give back what they did not spend.</summary>
    private async Task<int> ReleaseFinishedReservationsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reservations = await db.Reservations
            .Where(r => r.EscrowReleasedAt == null && (r.Status == ReservationStatus.Cancelled || r.WindowEnd <= now))
            .Where(r => !db.UsageRecords.Any(u => u.ReservationId == r.Id && u.SettledAt == null))
            .Where(r => !db.WorkUnits.Any(u => u.Status == WorkUnitStatus.Leased && db.Jobs.Any(j => j.Id == u.JobId && j.ReservationId == r.Id)))
            .ToListAsync(cancellationToken);
        foreach (var reservation in reservations)
        {
            var spent = await db.UsageRecords.Where(u => u.ReservationId == reservation.Id).SumAsync(u => u.ChargeMinor, cancellationToken);
            if (reservation.HeldMinor > spent)
            {
                await ledger.TryAddAsync(SettlementEntries.ReleaseReservation(reservation, reservation.HeldMinor - spent, now), cancellationToken);
            }

            reservation.MarkEscrowReleased(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return reservations.Count;
    }
}
