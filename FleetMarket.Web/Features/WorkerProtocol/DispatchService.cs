using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Protocol;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>Hands work units to devices. A lease is one short conditional update: no locks held between calls.</summary>
public sealed class DispatchService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    private const int CandidatesPerAttempt = 8;
    private static readonly DeviceConditions UnknownConditions = new(IsIdle: true, IsCharging: null, BatteryPercent: null, TemperatureCelsius: null);

    /// <summary>
    /// One unit for the device, or null when there is none or the owner's policy says no. Conditions the
    /// worker did not send count as unknown: then only the policy's clock rules (windows, departures) apply.
    /// </summary>
    public async Task<WorkUnitLease?> LeaseAsync(AuthenticatedDevice device, DeviceConditions? conditions,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var decision = device.Policy.Evaluate(conditions ?? UnknownConditions, now, marketplace.Value.LeaseDuration);
        if (!decision.Allowed)
        {
            return null;
        }

        var deviceId = device.DeviceId;
        var askingPrice = device.AskingPricePerHourMinor;

        var candidates = await db.WorkUnits.Where(WorkUnit.LeasableAt(now))
            .Join(db.Jobs, unit => unit.JobId, job => job.Id, (unit, job) => new { unit, job })
            .Where(x => (x.job.Status == JobStatus.Queued || x.job.Status == JobStatus.Running)
                        && x.job.MaxPricePerHourMinor >= askingPrice)
            .OrderBy(x => x.job.CreatedAt).ThenBy(x => x.unit.Index)
            .Select(x => x.unit.Id)
            .Take(CandidatesPerAttempt)
            .ToListAsync(cancellationToken);

        foreach (var unitId in candidates)
        {
            var leaseId = Guid.NewGuid();
            var expiresAt = now + marketplace.Value.LeaseDuration;

            // Re-checking the leasable rule inside the UPDATE makes the race safe: of two devices
            // going for one unit, exactly one sees a row change.
            var won = await db.WorkUnits.Where(u => u.Id == unitId).Where(WorkUnit.LeasableAt(now))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.Status, WorkUnitStatus.Leased)
                    .SetProperty(u => u.LeaseId, leaseId)
                    .SetProperty(u => u.DeviceId, deviceId)
                    .SetProperty(u => u.LeaseExpiresAt, expiresAt)
                    .SetProperty(u => u.Attempts, u => u.Attempts + 1), cancellationToken) == 1;
            if (!won)
            {
                continue;
            }

            var lease = await db.WorkUnits.AsNoTracking().Where(u => u.Id == unitId)
                .Join(db.Jobs, unit => unit.JobId, job => job.Id, (unit, job) => new WorkUnitLease(
                    leaseId, unit.Id, job.Id, job.ModelSha256, unit.InputSha256, unit.RowCount, expiresAt))
                .SingleAsync(cancellationToken);
            await db.Jobs.Where(j => j.Id == lease.JobId && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Running), cancellationToken);
            return lease;
        }

        return null;
    }

    public async Task ReleaseAsync(Guid deviceId, Guid leaseId, string reason, CancellationToken cancellationToken = default)
    {
        var unit = await db.WorkUnits.SingleOrDefaultAsync(u => u.LeaseId == leaseId && u.DeviceId == deviceId, cancellationToken);
        if (unit is null)
        {
            return;
        }

        unit.Release(leaseId, reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A device may read a blob only while it holds a live lease on a unit that needs it.</summary>
    public Task<bool> MayReadBlobAsync(Guid deviceId, string sha256, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.WorkUnits
            .Where(u => u.DeviceId == deviceId && u.Status == WorkUnitStatus.Leased && u.LeaseExpiresAt > now)
            .Join(db.Jobs, unit => unit.JobId, job => job.Id, (unit, job) => new { unit.InputSha256, job.ModelSha256 })
            .AnyAsync(x => x.InputSha256 == sha256 || x.ModelSha256 == sha256, cancellationToken);
    }
}
