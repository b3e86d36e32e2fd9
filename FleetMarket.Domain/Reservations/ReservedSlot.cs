namespace FleetMarket.Domain.Reservations;

/// <summary>One device-hour sold to a reservation, at the device's asking price when it was reserved.</summary>
public sealed class ReservedSlot
{
    private ReservedSlot()
    {
    }

    internal ReservedSlot(Guid reservationId, SlotOffer offer)
    {
        Id = Guid.NewGuid();
        ReservationId = reservationId;
        DeviceId = offer.Device.DeviceId;
        StartsAt = offer.StartsAt;
        PricePerHourMinor = offer.Device.PricePerHourMinor;
    }

    public Guid Id { get; private set; }
    public Guid ReservationId { get; private set; }
    public Guid DeviceId { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public long PricePerHourMinor { get; private set; }

    public DateTimeOffset EndsAt => StartsAt + CapacityClock.SlotLength;
}
