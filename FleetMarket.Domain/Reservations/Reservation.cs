using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Reservations;

/// <summary>
/// Device-hours a buyer has booked ahead. The buyer's jobs on it run on its devices during its slots and pay
/// each slot's price for the compute they use, out of the money held when it was booked; what is not used
/// goes back to the buyer when the window ends or the reservation is cancelled (ADR 0004).
/// </summary>
public sealed class Reservation
{
    private readonly List<ReservedSlot> _slots = [];

    private Reservation()
    {
    }

    public Reservation(string buyerId, ReservationRequest request, IReadOnlyList<SlotOffer> slots, string currency, DateTimeOffset now)
    {
        if (slots.Count == 0)
        {
            throw new DomainException("A reservation needs at least one device-hour.");
        }

        Id = Guid.NewGuid();
        BuyerId = buyerId;
        var name = PlainText.Require(request.Name, "The reservation's name", FieldLimits.ReservationName, required: false);
        Name = name.Length == 0 ? $"{slots.Count} device-hours" : name;
        WindowStart = request.WindowStart.ToUniversalTime();
        WindowEnd = request.WindowEnd.ToUniversalTime();
        Requirements = request.Requirements;
        MaxPricePerHourMinor = request.Requirements.MaxPricePerHourMinor
                               ?? throw new DomainException("A reservation needs a maximum price per device-hour.");
        Currency = currency;
        Status = ReservationStatus.Active;
        CreatedAt = now;
        _slots.AddRange(slots.Select(slot => new ReservedSlot(Id, slot)));
        DeviceHours = _slots.Count;
        HeldMinor = _slots.Sum(slot => slot.PricePerHourMinor);
    }

    public Guid Id { get; private set; }
    public string BuyerId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DateTimeOffset WindowStart { get; private set; }
    public DateTimeOffset WindowEnd { get; private set; }
    public CapacityRequirements Requirements { get; private set; } = CapacityRequirements.Any;
    public long MaxPricePerHourMinor { get; private set; }
    public string Currency { get; private set; } = "";

    /// <summary>The device-hours booked; a cancellation gives back those not yet ended but does not change this.</summary>
    public int DeviceHours { get; private set; }

    /// <summary>Every slot at its price: moved from the buyer's balance into escrow when the reservation was made.</summary>
    public long HeldMinor { get; private set; }
    public ReservationStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>Set once what was held and not spent has gone back to the buyer's balance.</summary>
    public DateTimeOffset? EscrowReleasedAt { get; private set; }

    public IReadOnlyList<ReservedSlot> Slots => _slots;

    public ReservationState StateAt(DateTimeOffset now) => StateOf(Status, WindowStart, WindowEnd, now);

    /// <summary>The state from the stored fields, for projections that do not load the whole reservation.</summary>
    public static ReservationState StateOf(ReservationStatus status, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now) =>
        status == ReservationStatus.Cancelled ? ReservationState.Cancelled
        : now >= windowEnd ? ReservationState.Ended
        : now < windowStart ? ReservationState.Upcoming
        : ReservationState.Active;

    /// <summary>Whether jobs may still be submitted to it and run on its devices.</summary>
    public bool IsLiveAt(DateTimeOffset now) => Status == ReservationStatus.Active && now < WindowEnd;

    /// <summary>Reserved device-hours that have not ended yet.</summary>
    public int RemainingHoursAt(DateTimeOffset now) => IsLiveAt(now) ? _slots.Count(slot => slot.EndsAt > now) : 0;

    /// <summary>
    /// Gives back every slot that has not ended, so the devices are free for others at once. Units running
    /// now may finish and are paid; the unspent escrow is released at the next settlement.
    /// </summary>
    public void Cancel(DateTimeOffset now)
    {
        if (!IsLiveAt(now))
        {
            throw new DomainException(Status == ReservationStatus.Cancelled
                ? "The reservation is already cancelled."
                : "The reservation's window has ended; there is nothing left to cancel.");
        }

        _slots.RemoveAll(slot => slot.EndsAt > now);
        Status = ReservationStatus.Cancelled;
        CancelledAt = now;
    }

    public void MarkEscrowReleased(DateTimeOffset now) => EscrowReleasedAt ??= now;
}
