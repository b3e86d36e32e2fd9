using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Pricing;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// Where accepted work becomes money: each accepted unit is accepted and gets its usage record, charged exactly in
/// millionths of a minor unit and turned into whole minor units on its job and owner's running total; settle-usage
/// then posts the records (<see cref="SettlementTask"/>). The verifier decides what is accepted; this decides what it costs.
/// </summary>
public sealed class UsageMeter(FleetDbContext db, IOptions<MarketplaceOptions> marketplace, JobEscrow escrow)
{
    /// <summary>
    /// Accepted work is billed: each unit at its agreed price, exactly, never beyond what the job or its reservation
    /// holds, and turned into whole minor units on its job and owner's running total (<see cref="Metering"/>). An
    /// on-demand job's hold is kept ahead of its spending first (<see cref="JobEscrow"/>).
    /// </summary>
    /// <param name="newRows">Rows whose index these units decide for the first time.</param>
    public async Task AcceptAsync(InferenceJob job, IReadOnlyList<WorkUnit> units, int newRows, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var settings = marketplace.Value;
        var unitCap = UsagePricing.UnitCap(job.MaxPricePerHourMinor, settings.MaxUnitDuration);
        var fundsLeft = job.ReservationId is { } reservationId
            ? await db.Reservations.Where(r => r.Id == reservationId).Select(r => r.HeldMinor).SingleAsync(cancellationToken)
              - await db.UsageRecords.Where(u => u.ReservationId == reservationId).SumAsync(u => u.ChargeMinor, cancellationToken)
            : await escrow.KeepFundedAsync(job, units.Sum(u => UsagePricing.ChargeMicros(u.PricePerHourMinor, u.ComputeMilliseconds, unitCap)),
                newRows, now, cancellationToken);
        foreach (var unit in units)
        {
            unit.Accept();
            var cap = Math.Max(0, Math.Min(unitCap, fundsLeft));
            var micros = UsagePricing.ChargeMicros(unit.PricePerHourMinor, unit.ComputeMilliseconds, cap);
            var ownerId = unit.OwnerId ?? await db.Devices.Where(d => d.Id == unit.DeviceId).Select(d => d.OwnerId).SingleAsync(cancellationToken);
            var (charge, fee) = (await MeteringOfAsync(job.Id, ownerId, cancellationToken)).Add(micros, settings.PlatformFeeBasisPoints);
            fundsLeft -= charge;
            db.UsageRecords.Add(new UsageRecord(unit, job, unit.DeviceId!.Value, ownerId, unit.PricePerHourMinor, charge, fee, now, micros));
        }
    }

    private async Task<Metering> MeteringOfAsync(Guid jobId, string ownerId, CancellationToken cancellationToken)
    {
        if (await db.Meterings.FindAsync([jobId, ownerId], cancellationToken) is { } metering)
        {
            return metering;
        }

        metering = new Metering(jobId, ownerId);
        db.Meterings.Add(metering);
        return metering;
    }
}
