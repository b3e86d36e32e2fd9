using FleetMarket.Protocol;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Device;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class DeviceConditionsProbeTests : IDisposable
{
    private readonly string _sysClass = Path.Combine(Path.GetTempPath(), "fleetmarket-sysfs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_sysClass))
        {
            Directory.Delete(_sysClass, recursive: true);
        }
    }

    [Fact]
    public void Read_NoSysfs_ReportsIdleAndNothingElse()
    {
        var conditions = new DeviceConditionsProbe(_sysClass).Read();

        Assert.True(conditions.IsIdle);
        Assert.Null(conditions.IsCharging);
        Assert.Null(conditions.BatteryPercent);
        Assert.Null(conditions.TemperatureCelsius);
    }

    [Fact]
    public void Read_ChargingBatteryAndThermalZones_ReportsThem()
    {
        Attribute("power_supply/BAT0", "type", "Battery");
        Attribute("power_supply/BAT0", "status", "Charging");
        Attribute("power_supply/BAT0", "capacity", "83");
        Attribute("thermal/thermal_zone0", "temp", "41500");
        Attribute("thermal/thermal_zone1", "temp", "57250");
        Attribute("thermal/cooling_device0", "temp", "99000");

        var conditions = new DeviceConditionsProbe(_sysClass).Read();

        Assert.True(conditions.IsCharging);
        Assert.Equal(83, conditions.BatteryPercent);
        Assert.Equal(57.25, conditions.TemperatureCelsius);
    }

    [Theory]
    [InlineData("1", "Discharging", true)]
    [InlineData("0", "Discharging", false)]
    [InlineData("0", "Not charging", true)]
    public void Read_MainsAndBattery_CombineIntoIsCharging(string mainsOnline, string batteryStatus, bool expected)
    {
        Attribute("power_supply/AC", "type", "Mains");
        Attribute("power_supply/AC", "online", mainsOnline);
        Attribute("power_supply/BAT0", "type", "Battery");
        Attribute("power_supply/BAT0", "status", batteryStatus);

        Assert.Equal(expected, new DeviceConditionsProbe(_sysClass).Read().IsCharging);
    }

    [Fact]
    public void Read_MainsOnlyDesktop_ReportsPluggedInWithoutBattery()
    {
        Attribute("power_supply/AC", "type", "Mains");
        Attribute("power_supply/AC", "online", "1\n");

        var conditions = new DeviceConditionsProbe(_sysClass).Read();

        Assert.True(conditions.IsCharging);
        Assert.Null(conditions.BatteryPercent);
    }

    [Fact]
    public void Read_ConfiguredValues_OverrideTheProbe()
    {
        Attribute("power_supply/BAT0", "type", "Battery");
        Attribute("power_supply/BAT0", "status", "Discharging");
        Attribute("power_supply/BAT0", "capacity", "40");
        Attribute("thermal/thermal_zone0", "temp", "41500");
        var overrides = new ConditionOverrides(Idle: false, Charging: true, BatteryPercent: 77);

        var conditions = new DeviceConditionsProbe(_sysClass, overrides).Read();

        Assert.Equal(new DeviceConditions(IsIdle: false, IsCharging: true, BatteryPercent: 77, TemperatureCelsius: 41.5), conditions);
    }

    private void Attribute(string device, string name, string value)
    {
        var folder = Path.Combine(_sysClass, device);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), value);
    }
}
