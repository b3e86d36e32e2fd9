using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Reservations;

/// <summary>A buyer's reservation as pages show it; the API answers it as a <see cref="ReservationSummary"/>.</summary>
public sealed record ReservationView(Guid Id, string Name, ReservationState State, DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd, int DeviceHours, int RemainingHours, int Devices, Money Held, Money Spent,
    long ComputeMilliseconds, int Jobs, DateTimeOffset CreatedAt, bool UnspentReturned)
{
    /// <summary>Compute time its jobs have used, in device-hours.</summary>
    public double UsedHours => ComputeMilliseconds / 3_600_000.0;
}

/// <summary>The device-hours of one device in a reservation, at the price they were reserved at.</summary>
public sealed record ReservedDeviceView(Guid DeviceId, DeviceKind Kind, string Accelerator, string? ExecutionProvider, string Region,
    double? BenchmarkScore, int Hours, DateTimeOffset From, DateTimeOffset To, Money PricePerHour);

public sealed record ReservationDetailView(ReservationView Summary, IReadOnlyList<ReservedDeviceView> Devices);

/// <summary>A buyer's reservations of device-hours. Every read and change is scoped to the calling buyer's own.</summary>
public sealed class ReservationService(FleetDbContext db, CapacityService capacity, EscrowHolds holds, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace)
{
    /// <summary>Matching again when another buyer took one of the chosen slots first; each retry sees the slots they took.</summary>
    private const int Attempts = 8;

    public async Task<Guid> ReserveAsync(string buyerId, ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        try
        {
            // A conflict: a slot was sold to someone else between matching and saving, and the unique index refused it.
            return await ConflictRetry.RunAsync(Attempts, ConflictRetry.Saving, db.ChangeTracker, async _ =>
            {
                var now = time.GetUtcNow();
                if (request.Problem(now, currency) is { } problem)
                {
                    throw new DomainException(problem);
                }

                var offers = await capacity.OffersAsync(request.Requirements, cancellationToken);
                var taken = await capacity.TakenAsync(offers, CapacityClock.FirstSlotFrom(request.WindowStart, now), request.WindowEnd, cancellationToken);
                var reservation = new Reservation(buyerId, request, CapacityMatcher.Match(request, offers, taken, now, currency), currency, now);
                db.Reservations.Add(reservation);
                var hold = new Money(reservation.HeldMinor, currency);
                await holds.SaveWithHoldAsync(buyerId, SettlementEntries.HoldForReservation(reservation, now), hold,
                    balance => $"Reserving these {reservation.DeviceHours} device-hours holds {hold}; the balance is {balance}. Top up first.",
                    cancellationToken);
                return reservation.Id;
            });
        }
        catch (DbUpdateException)
        {
            throw new DomainException("Other buyers took that capacity while it was being reserved; look again and retry.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<ReservationView>> ListAsync(string buyerId, CancellationToken cancellationToken = default) =>
        await SummariesAsync(db.Reservations.Where(r => r.BuyerId == buyerId).OrderByDescending(r => r.CreatedAt), cancellationToken);

    public async Task<ReservationDetailView> GetAsync(string buyerId, Guid reservationId, CancellationToken cancellationToken = default)
    {
        var summary = (await SummariesAsync(db.Reservations.Where(r => r.BuyerId == buyerId && r.Id == reservationId), cancellationToken))
                      .SingleOrDefault() ?? throw new NotFoundException("No such reservation.");
        var slots = await db.ReservedSlots.AsNoTracking().Where(s => s.ReservationId == reservationId)
            .Join(db.Devices, slot => slot.DeviceId, device => device.Id, (slot, device) => new { Slot = slot, Device = device })
            .ToListAsync(cancellationToken);
        var devices = slots.GroupBy(x => x.Device.Id)
            .Select(group =>
            {
                var device = group.First().Device;
                return new ReservedDeviceView(device.Id, device.Kind, device.Accelerator, device.ExecutionProvider, device.Region,
                    device.BenchmarkScore, group.Count(), group.Min(x => x.Slot.StartsAt), group.Max(x => x.Slot.EndsAt),
                    new Money(group.First().Slot.PricePerHourMinor, summary.Held.Currency));
            })
            .OrderBy(device => device.From)
            .ToList();
        return new ReservationDetailView(summary, devices);
    }

    /// <summary>Gives back the hours not yet ended and cancels the reservation's open jobs; the unspent escrow returns at settlement.</summary>
    public async Task CancelAsync(string buyerId, Guid reservationId, CancellationToken cancellationToken = default)
    {
        var reservation = await db.Reservations.Include(r => r.Slots)
                              .SingleOrDefaultAsync(r => r.BuyerId == buyerId && r.Id == reservationId, cancellationToken)
                          ?? throw new NotFoundException("No such reservation.");
        var now = time.GetUtcNow();
        reservation.Cancel(now);
        var openJobs = await db.Jobs.Include(j => j.Units)
            .Where(j => j.ReservationId == reservationId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ToListAsync(cancellationToken);
        openJobs.ForEach(job => job.Cancel(now));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<List<ReservationView>> SummariesAsync(IQueryable<Reservation> reservations, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endedBefore = now - CapacityClock.SlotLength;
        var rows = await reservations.AsNoTracking()
            .Select(r => new
            {
                r.Id,
                r.Name,
                r.Status,
                r.WindowStart,
                r.WindowEnd,
                r.DeviceHours,
                r.HeldMinor,
                r.Currency,
                r.CreatedAt,
                Returned = r.EscrowReleasedAt != null,
                Remaining = r.Slots.Count(s => s.StartsAt > endedBefore),
                Devices = r.Slots.Select(s => s.DeviceId).Distinct().Count(),
                Spent = db.UsageRecords.Where(u => u.ReservationId == r.Id).Sum(u => u.ChargeMinor),
                Compute = db.UsageRecords.Where(u => u.ReservationId == r.Id).Sum(u => u.ComputeMilliseconds),
                Jobs = db.Jobs.Count(j => j.ReservationId == r.Id),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r =>
        {
            var state = Reservation.StateOf(r.Status, r.WindowStart, r.WindowEnd, now);
            var remaining = state is ReservationState.Active or ReservationState.Upcoming ? r.Remaining : 0;
            return new ReservationView(r.Id, r.Name, state, r.WindowStart, r.WindowEnd, r.DeviceHours, remaining, r.Devices,
                new Money(r.HeldMinor, r.Currency), new Money(r.Spent, r.Currency), r.Compute, r.Jobs, r.CreatedAt, r.Returned);
        }).ToList();
    }
}
