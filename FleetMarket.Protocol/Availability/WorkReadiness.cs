using FleetMarket.Protocol;

namespace FleetMarket.Protocol.Availability;

/// <summary>Whether a device's reported conditions let it take work now. The owner's car comes first.</summary>
public static class WorkReadiness
{
    public const int MinimumBatteryOnBattery = 50;
    public const double MaximumTemperatureCelsius = 85;

    public static (bool Ready, string? Reason) Decide(DeviceConditions conditions)
    {
        if (!conditions.IsIdle)
        {
            return (false, "The device is in use.");
        }

        if (conditions.IsCharging == false && conditions.BatteryPercent < MinimumBatteryOnBattery)
        {
            return (false, $"Battery below {MinimumBatteryOnBattery} % and not charging.");
        }

        if (conditions.TemperatureCelsius > MaximumTemperatureCelsius)
        {
            return (false, $"Temperature above {MaximumTemperatureCelsius} °C.");
        }

        return (true, null);
    }
}
