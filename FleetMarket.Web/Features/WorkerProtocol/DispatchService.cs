using System.Diagnostics;
using System.Linq.Expressions;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Verification;
using FleetMarket.Web.Marketplace;
using FleetMarket.Web.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Hands work units to devices. A lease is one short conditional UPDATE that picks the unit in the same
/// statement, through the write gate, so devices never race for the same row and no lock is held between calls.
/// </summary>
public sealed class DispatchService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace,
    VerificationDice dice, MarketplaceMetrics metrics, LeaseTransfers transfers)
{
    /// <summary>Open jobs looked at per lease, in dispatch order; a unit almost always comes from the first.</summary>
    private const int JobsPerAttempt = 4;

    /// <summary>
    /// Up to <paramref name="maxUnits"/> units for the device, in the order it should run them; none when there are none
    /// or the owner's policy says no. Conditions the worker did not send count as unknown: then only the policy's clock
    /// rules (windows, departures) apply.
    /// </summary>
    public async Task<IReadOnlyList<WorkUnitLease>> LeaseAsync(AuthenticatedDevice device, DeviceConditions? conditions, int maxUnits,
        CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var leases = await TakeAsync(device, conditions, maxUnits, cancellationToken);
        metrics.LeaseAnswered(Stopwatch.GetElapsedTime(started), granted: leases.Count > 0);
        if (leases.Count > 0)
        {
            metrics.Leased(leases.Count);
        }

        return leases;
    }

    private async Task<IReadOnlyList<WorkUnitLease>> TakeAsync(AuthenticatedDevice device, DeviceConditions? conditions, int maxUnits,
        CancellationToken cancellationToken)
    {
        var settings = marketplace.Value;
        var now = time.GetUtcNow();
        var decision = device.Policy.Evaluate(conditions ?? DeviceConditions.Unknown, now, settings.LeaseDuration);
        if (!decision.Allowed)
        {
            return [];
        }

        // A failing device gets less work: offered it with a probability of its score, and one unit at a time.
        if (device.IsFailing && (dice.Roll() >= device.ReliabilityScore || await HeldAsync(device.DeviceId, now, cancellationToken) > 0))
        {
            return [];
        }

        // The reservation that bought this hour of the device, if any: its jobs come first, at the slot's price.
        var slotsFrom = now - CapacityClock.SlotLength;
        var slots = await db.ReservedSlots.AsNoTracking()
            .Where(s => s.DeviceId == device.DeviceId && s.StartsAt > slotsFrom && s.StartsAt <= now + CapacityClock.SlotLength)
            .Select(s => new { s.ReservationId, s.StartsAt, s.PricePerHourMinor })
            .ToListAsync(cancellationToken);
        var slot = slots.FirstOrDefault(s => s.StartsAt <= now);
        var wanted = device.IsFailing ? 1 : await CapAsync(device, now, maxUnits, slot?.StartsAt + CapacityClock.SlotLength
            ?? slots.Where(s => s.StartsAt > now).Select(s => (DateTimeOffset?)s.StartsAt).Min(), cancellationToken);
        if (wanted == 0)
        {
            return [];
        }

        var price = device.AskingPricePerHourMinor;
        var open = db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running);
        var candidates = slot is null
            ? open.Where(j => j.ReservationId == null && j.MaxPricePerHourMinor >= price)
            : open.Where(j => (j.ReservationId == null && j.MaxPricePerHourMinor >= price) || j.ReservationId == slot.ReservationId);
        // A reservation's own jobs first. Then buyers in the order they joined the queue (their oldest open
        // job), and within a buyer's place the job they marked most urgent: priority never jumps other buyers.
        var takeable = Takeable(device.OwnerId);
        var jobs = await candidates
            .Where(j => takeable.Any(u => u.JobId == j.Id && u.Status == WorkUnitStatus.Queued))
            .OrderBy(j => j.ReservationId == null)
            .ThenBy(j => open.Where(o => o.BuyerId == j.BuyerId).Min(o => o.CreatedAt))
            .ThenByDescending(j => j.Priority)
            .ThenBy(j => j.CreatedAt)
            .Select(j => new { j.Id, j.Status, j.ReservationId })
            .Take(JobsPerAttempt)
            .ToListAsync(cancellationToken);

        // A batch is leased in one pass through the gate and one transaction: one commit, however many units.
        var taken = new List<Guid>(wanted);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var job in jobs.TakeWhile(_ => taken.Count < wanted))
        {
            var queued = takeable.Where(u => u.JobId == job.Id && u.Status == WorkUnitStatus.Queued);
            var agreed = job.ReservationId is null ? price : slot!.PricePerHourMinor;
            var before = taken.Count;
            while (taken.Count < wanted
                   && await TryLeaseAsync(device, now, agreed, queued, u => u.Status == WorkUnitStatus.Queued, cancellationToken) is { } lease)
            {
                taken.Add(lease);
            }

            if (taken.Count > before && job.Status == JobStatus.Queued)
            {
                await db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Queued)
                    .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Running), cancellationToken);
            }
        }

        // The rare path: a lease ran out and its unit waits to be taken again (expiry needs no sweeper).
        var expired = takeable.Where(WorkUnit.LeasableAt(now)).Where(u => u.Status == WorkUnitStatus.Leased);
        var running = db.Jobs.Where(j => j.Status == JobStatus.Running);
        while (taken.Count < wanted && slot is not null
               && await TryLeaseAsync(device, now, slot.PricePerHourMinor,
                   expired.Where(u => running.Any(j => j.Id == u.JobId && j.ReservationId == slot.ReservationId)),
                   WorkUnit.LeasableAt(now), cancellationToken) is { } reserved)
        {
            taken.Add(reserved);
        }

        while (taken.Count < wanted
               && await TryLeaseAsync(device, now, price,
                   expired.Where(u => running.Any(j => j.Id == u.JobId && j.ReservationId == null && j.MaxPricePerHourMinor >= price)),
                   WorkUnit.LeasableAt(now), cancellationToken) is { } again)
        {
            taken.Add(again);
        }

        await transaction.CommitAsync(cancellationToken);

        return await LeasesAsync(taken, cancellationToken);
    }

    /// <summary>
    /// How many of the <paramref name="asked"/> units the device gets: it runs them one after another, each about
    /// <see cref="MarketplaceOptions.UnitTargetDuration"/> long, and must finish them all before its owner's window
    /// ends or it leaves, and before <paramref name="boundary"/> (the end of its reserved hour, or the start of the next
    /// one: that hour is another buyer's, at another price), though one is always allowed, as a single lease is. Never
    /// more than it may hold at once.
    /// </summary>
    private async Task<int> CapAsync(AuthenticatedDevice device, DateTimeOffset now, int asked, DateTimeOffset? boundary,
        CancellationToken cancellationToken)
    {
        if (asked <= 1)
        {
            return 1;
        }

        var settings = marketplace.Value;
        var horizon = device.Policy.TimeAvailableFrom(now);
        if (boundary - now is { } untilBoundary && untilBoundary < horizon)
        {
            horizon = untilBoundary;
        }

        var fits = 1 + (int)Math.Max(0, (horizon - settings.LeaseDuration) / settings.UnitTargetDuration);
        var room = settings.MaxLeasesPerDevice - await HeldAsync(device.DeviceId, now, cancellationToken);
        return Math.Clamp(Math.Min(asked, fits), 0, Math.Max(0, room));
    }

    private Task<int> HeldAsync(Guid deviceId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WorkUnits.CountAsync(u => u.DeviceId == deviceId && u.Status == WorkUnitStatus.Leased && u.LeaseExpiresAt > now, cancellationToken);

    /// <summary>
    /// Units the owner may take: never a replica of an index one of the owner's devices already ran, so the
    /// results that check each other always come from different owners.
    /// </summary>
    private IQueryable<WorkUnit> Takeable(string ownerId) =>
        db.WorkUnits.Where(u => !db.WorkUnits.Any(other => other.JobId == u.JobId && other.Index == u.Index && other.Id != u.Id
                                                            && other.OwnerId == ownerId));

    /// <summary>
    /// Leases the first of <paramref name="candidates"/> in one UPDATE that chooses the unit and re-checks
    /// <paramref name="stillLeasable"/>: of two devices going for one unit, exactly one sees a row change. Runs in the
    /// caller's transaction, which holds the write gate.
    /// </summary>
    private async Task<Guid?> TryLeaseAsync(AuthenticatedDevice device, DateTimeOffset now, long pricePerHourMinor, IQueryable<WorkUnit> candidates,
        Expression<Func<WorkUnit, bool>> stillLeasable, CancellationToken cancellationToken)
    {
        var leaseId = Guid.NewGuid();
        var expiresAt = now + marketplace.Value.LeaseDuration;
        var next = candidates.OrderBy(u => u.Index).Select(u => (Guid?)u.Id);
        var won = await db.WorkUnits.Where(u => u.Id == next.FirstOrDefault()).Where(stillLeasable)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.Status, WorkUnitStatus.Leased)
                .SetProperty(u => u.LeaseId, leaseId)
                .SetProperty(u => u.DeviceId, device.DeviceId)
                .SetProperty(u => u.OwnerId, device.OwnerId)
                .SetProperty(u => u.LeaseExpiresAt, expiresAt)
                .SetProperty(u => u.LeasedAt, now)
                .SetProperty(u => u.PricePerHourMinor, pricePerHourMinor)
                .SetProperty(u => u.Attempts, u => u.Attempts + 1), cancellationToken);
        return won == 0 ? null : leaseId;
    }

    /// <summary>The leases just taken, read back in one query and handed out in the order they were taken.</summary>
    private async Task<IReadOnlyList<WorkUnitLease>> LeasesAsync(List<Guid> leaseIds, CancellationToken cancellationToken)
    {
        if (leaseIds.Count == 0)
        {
            return [];
        }

        var leaseSeconds = (int)marketplace.Value.LeaseDuration.TotalSeconds;
        var ids = leaseIds.Select(id => (Guid?)id).ToList();
        var leases = await db.WorkUnits.AsNoTracking().Where(u => ids.Contains(u.LeaseId))
            .Join(db.Jobs, unit => unit.JobId, job => job.Id, (unit, job) => new WorkUnitLease(
                unit.LeaseId!.Value, unit.Id, job.Id, job.ModelSha256, unit.InputSha256, unit.RowCount, unit.LeaseExpiresAt!.Value, leaseSeconds))
            .ToDictionaryAsync(lease => lease.LeaseId, cancellationToken);
        return leaseIds.Select(id => transfers.With(leases[id])).ToList();
    }

    /// <summary>Gives a unit back to the queue; a lease that is not (or no longer) this device's is not found, as on completion.</summary>
    public async Task ReleaseAsync(Guid deviceId, Guid leaseId, string reason, CancellationToken cancellationToken = default)
    {
        var unit = await db.WorkUnits.SingleOrDefaultAsync(u => u.LeaseId == leaseId && u.DeviceId == deviceId, cancellationToken)
                   ?? throw new NotFoundException("No such lease for this device.");
        unit.Release(leaseId, reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Gives back every lease the device holds except <paramref name="keep"/>: a restarted worker's unfinished
    /// units go back to the queue now instead of when their leases run out. Each counts as a used attempt.
    /// </summary>
    public async Task<int> ReleaseHeldAsync(Guid deviceId, IReadOnlyCollection<Guid> keep, CancellationToken cancellationToken = default)
    {
        var held = await db.WorkUnits
            .Where(u => u.DeviceId == deviceId && u.Status == WorkUnitStatus.Leased && !keep.Contains(u.LeaseId!.Value))
            .ToListAsync(cancellationToken);
        held.ForEach(unit => unit.Release(unit.LeaseId!.Value, "the device restarted without finishing it"));
        await db.SaveChangesAsync(cancellationToken);

        return held.Count;
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
