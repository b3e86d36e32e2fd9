using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using FleetMarket.Web.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.FleetHealth;

/// <summary>
/// The fleet's figures in a handful of indexed reads: devices seen within the offline threshold, each open job's
/// queued and running units (the (JobId, Status) index), the oldest unsettled usage (the SettledAt index) and the
/// payouts not yet paid. Run every <see cref="FleetHealthOptions.FleetQueryInterval"/>, never per scrape.
/// </summary>
public sealed class FleetQuery(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    /// <summary>Jobs with a queue of their own on the gauges and the page: the longest queues.</summary>
    public const int JobsShown = 8;

    public async Task<FleetState> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seenSince = now - marketplace.Value.OfflineAfter;
        var online = await db.Devices.CountAsync(d => d.Status == DeviceStatus.Online && d.LastSeenAt > seenSince, cancellationToken);

        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new JobQueueDepth(j.Id, j.Name,
                db.WorkUnits.Count(u => u.JobId == j.Id && u.Status == WorkUnitStatus.Queued),
                db.WorkUnits.Count(u => u.JobId == j.Id && u.Status == WorkUnitStatus.Leased)))
            .ToListAsync(cancellationToken);

        var oldestUnsettled = await db.UsageRecords.AsNoTracking().Where(u => u.SettledAt == null)
            .OrderBy(u => u.RecordedAt).Select(u => (DateTimeOffset?)u.RecordedAt).FirstOrDefaultAsync(cancellationToken);
        var pending = await db.Payouts.CountAsync(p => p.Status == PayoutStatus.PendingReview || p.Status == PayoutStatus.Approved
                                                       || p.Status == PayoutStatus.Held, cancellationToken);

        return new FleetState(now, online, jobs.Sum(j => j.Queued), jobs.Sum(j => j.Running),
            oldestUnsettled is { } oldest ? now - oldest : null, pending,
            jobs.Where(j => j.Queued + j.Running > 0).OrderByDescending(j => j.Queued).ThenByDescending(j => j.Running).Take(JobsShown).ToList());
    }
}
