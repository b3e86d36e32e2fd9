using FleetMarket.Protocol;

namespace FleetMarket.Worker.Configuration;

/// <summary>
/// Conditions the owner states instead of the probe: a car computer may report its charging state or
/// temperature in ways sysfs does not show, or run only while the car is plugged in. Null leaves the probe's value.
/// </summary>
public sealed record ConditionOverrides(bool? Idle = null, bool? Charging = null, int? BatteryPercent = null, double? TemperatureCelsius = null)
{
    public DeviceConditions Apply(DeviceConditions probed)
    {
        ArgumentNullException.ThrowIfNull(probed);
        return new DeviceConditions(
            Idle ?? probed.IsIdle,
            Charging ?? probed.IsCharging,
            BatteryPercent ?? probed.BatteryPercent,
            TemperatureCelsius ?? probed.TemperatureCelsius);
    }
}
