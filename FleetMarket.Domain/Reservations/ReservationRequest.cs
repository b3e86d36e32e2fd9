using System.ComponentModel.DataAnnotations;
using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Reservations;

/// <summary>A buyer's ask: this many device-hours inside a window, on devices that meet the requirements.</summary>
public sealed record ReservationRequest(int DeviceHours, [PlausibleTime] DateTimeOffset WindowStart,
    [PlausibleTime] DateTimeOffset WindowEnd, CapacityRequirements Requirements,
    [MaxLength(FieldLimits.ReservationName), PlainText] string? Name = null)
{
    public const int MaxDeviceHours = 10_000;

    public string? Problem(DateTimeOffset now, string currency)
    {
        if (Requirements is null)
        {
            return "Name the requirements, at least the most you will pay per device-hour.";
        }

        if (DeviceHours is < 1 or > MaxDeviceHours)
        {
            return $"Reserve between 1 and {MaxDeviceHours:N0} device-hours.";
        }

        if (WindowEnd <= WindowStart)
        {
            return "The window must end after it starts.";
        }

        if (WindowEnd <= now)
        {
            return "The window is in the past; reserve time that is still to come.";
        }

        // The same week the capacity browser shows: from the slot under way.
        if (WindowEnd > CapacityClock.SlotStartOf(now) + CapacityClock.Horizon)
        {
            return $"Capacity can be reserved up to {CapacityClock.Horizon.TotalDays:0} days ahead.";
        }

        if (Requirements.MaxPricePerHourMinor is null)
        {
            return "Name the most you will pay per device-hour.";
        }

        return Requirements.Problem(currency);
    }
}
