using System.Globalization;
using FleetMarket.Protocol;
using FleetMarket.Worker.Configuration;

namespace FleetMarket.Worker.Device;

/// <summary>
/// Reads the device's power and temperature from Linux's sysfs, where laptops, single-board
/// computers and car computers publish them; values the platform does not expose are null. Values the
/// owner configured (<see cref="ConditionOverrides"/>) win over what sysfs says.
/// </summary>
public sealed class DeviceConditionsProbe(string sysClassPath = "/sys/class", ConditionOverrides? overrides = null)
{
    public DeviceConditions Read()
    {
        var (isCharging, batteryPercent) = ReadPower(Path.Combine(sysClassPath, "power_supply"));

        // The owner starts the worker to lend this device, and the marketplace enforces the availability
        // policy; noticing a person using the device needs per-platform work this probe does not do yet.
        var probed = new DeviceConditions(IsIdle: true, isCharging, batteryPercent, ReadTemperature(Path.Combine(sysClassPath, "thermal")));
        return overrides?.Apply(probed) ?? probed;
    }

    private static (bool? IsCharging, int? BatteryPercent) ReadPower(string powerSupplyPath)
    {
        bool? externalPower = null;
        string? batteryStatus = null;
        int? batteryPercent = null;
        foreach (var supply in SubDirectories(powerSupplyPath))
        {
            switch (ReadText(Path.Combine(supply, "type")))
            {
                case "Battery":
                    batteryStatus ??= ReadText(Path.Combine(supply, "status"));
                    batteryPercent ??= ReadInt(Path.Combine(supply, "capacity"));
                    break;
                case { } when ReadInt(Path.Combine(supply, "online")) is { } online:
                    externalPower = externalPower == true || online == 1;
                    break;
            }
        }

        // "Not charging" means plugged in but held below a charge limit: on external power all the same.
        if (externalPower == true || batteryStatus is "Charging" or "Full" or "Not charging")
        {
            return (true, batteryPercent);
        }

        return (externalPower == false || batteryStatus == "Discharging" ? false : null, batteryPercent);
    }

    /// <summary>The hottest thermal zone, in °C; sysfs reports millidegrees.</summary>
    private static double? ReadTemperature(string thermalPath)
    {
        var readings = SubDirectories(thermalPath)
            .Where(zone => Path.GetFileName(zone).StartsWith("thermal_zone", StringComparison.Ordinal))
            .Select(zone => ReadInt(Path.Combine(zone, "temp")))
            .OfType<int>()
            .ToList();
        return readings.Count > 0 ? readings.Max() / 1000.0 : null;
    }

    private static string[] SubDirectories(string path)
    {
        try
        {
            return Directory.Exists(path) ? Directory.GetDirectories(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static int? ReadInt(string path) =>
        int.TryParse(ReadText(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Some sysfs attributes fail on read (a sensor that is off); such a value counts as absent.</summary>
    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
