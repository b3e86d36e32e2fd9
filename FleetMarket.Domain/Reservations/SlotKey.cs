namespace FleetMarket.Domain.Reservations;

/// <summary>One device-hour: the unit of capacity that is sold, and never sold twice.</summary>
public readonly record struct SlotKey(Guid DeviceId, DateTimeOffset StartsAt);
