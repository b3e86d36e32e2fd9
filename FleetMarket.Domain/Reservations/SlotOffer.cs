namespace FleetMarket.Domain.Reservations;

/// <summary>A free device-hour on an offered device.</summary>
public sealed record SlotOffer(DeviceOffer Device, DateTimeOffset StartsAt)
{
    public SlotKey Key => new(Device.DeviceId, StartsAt);
}
