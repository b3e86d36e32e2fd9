using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Tests.Unit.Protocol;

public sealed class AvailabilityPolicyTests
{
    private static readonly DeviceConditions Charging = new(IsIdle: true, IsCharging: true, BatteryPercent: 80, TemperatureCelsius: 35);
    private static readonly TimeSpan Unit = TimeSpan.FromMinutes(5);

    // 2026-11-23 is a Monday.
    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(23, 23, 0, true)] // Monday 23:00, inside Monday 22:00–06:00
    [InlineData(24, 3, 0, true)] // Tuesday 03:00, the same window after midnight
    [InlineData(24, 5, 57, false)] // three minutes left: a five-minute unit does not fit
    [InlineData(24, 7, 0, false)] // Tuesday 07:00, outside
    [InlineData(23, 21, 59, false)]
    public void Evaluate_WindowAcrossMidnight_AllowsOnlyInsideWithTimeToFinish(int day, int hour, int minute, bool allowed)
    {
        var policy = Policy(windows: [new WeeklyWindow(DayOfWeek.Monday, new TimeOnly(22, 0), new TimeOnly(6, 0))]);

        Assert.Equal(allowed, policy.Evaluate(Charging, Utc(day, hour, minute), Unit).Allowed);
    }

    [Fact]
    public void Evaluate_SaturdayNightWindow_RunsIntoSundayAcrossTheWeekBoundary()
    {
        var policy = Policy(windows: [new WeeklyWindow(DayOfWeek.Saturday, new TimeOnly(22, 0), new TimeOnly(6, 0))]);

        var sundayAtOne = policy.Evaluate(Charging, Utc(29, 1), Unit);

        Assert.True(sundayAtOne.Allowed);
        Assert.Equal(TimeSpan.FromHours(5), sundayAtOne.AvailableFor);
    }

    [Fact]
    public void Evaluate_CarLeavingAt0730_TakesNoUnitItCannotFinishBeforeThen()
    {
        var policy = Policy(departures: [new Departure(DayOfWeek.Tuesday, new TimeOnly(7, 30))]);

        var early = policy.Evaluate(Charging, Utc(24, 7, 0), Unit);
        var tooLate = policy.Evaluate(Charging, Utc(24, 7, 27), Unit);

        Assert.True(early.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(30), early.AvailableFor);
        Assert.False(tooLate.Allowed);
        Assert.Contains("3 min left", tooLate.Reason);
    }

    [Fact]
    public void Evaluate_OnlyWhileCharging_RefusesOnBatteryAndWhenUnknown()
    {
        var policy = Policy(onlyWhileCharging: true);

        Assert.True(policy.Evaluate(Charging, Utc(23, 12), Unit).Allowed);
        Assert.False(policy.Evaluate(Charging with { IsCharging = false }, Utc(23, 12), Unit).Allowed);
        Assert.False(policy.Evaluate(Charging with { IsCharging = null }, Utc(23, 12), Unit).Allowed);
    }

    [Fact]
    public void Evaluate_BatteryAndThermalLimits_AreTheOwners()
    {
        var policy = Policy(minimumBattery: 60, maximumTemperature: 45);

        Assert.False(policy.Evaluate(Charging with { BatteryPercent = 59 }, Utc(23, 12), Unit).Allowed);
        Assert.False(policy.Evaluate(Charging with { TemperatureCelsius = 46 }, Utc(23, 12), Unit).Allowed);
        Assert.True(policy.Evaluate(Charging with { BatteryPercent = 60, TemperatureCelsius = 45 }, Utc(23, 12), Unit).Allowed);
    }

    [Fact]
    public void Evaluate_WindowInBerlinTime_FollowsTheDevicesTimeZone()
    {
        var policy = Policy(timeZone: "Europe/Berlin", windows: [new WeeklyWindow(DayOfWeek.Monday, new TimeOnly(1, 0), new TimeOnly(2, 0))]);

        // 00:30 UTC is 01:30 in Berlin (UTC+1 in November).
        Assert.True(policy.Evaluate(Charging, Utc(23, 0, 30), Unit).Allowed);
        Assert.False(policy.Evaluate(Charging, Utc(23, 1, 30), Unit).Allowed);
    }

    [Fact]
    public void Evaluate_DeviceInUse_NeverWorks() =>
        Assert.False(AvailabilityPolicy.Always.Evaluate(Charging with { IsIdle = false }, Utc(23, 12), Unit).Allowed);

    [Theory]
    [InlineData("Mars/Olympus", null, null, "time zone")]
    [InlineData("UTC", 101, null, "battery")]
    [InlineData("UTC", null, 150.0, "thermal")]
    public void Problem_InvalidSettings_AreNamed(string timeZone, int? battery, double? temperature, string named) =>
        Assert.Contains(named, Policy(timeZone: timeZone, minimumBattery: battery, maximumTemperature: temperature).Problem());

    private static AvailabilityPolicy Policy(string timeZone = "UTC", IReadOnlyList<WeeklyWindow>? windows = null,
        bool onlyWhileCharging = false, int? minimumBattery = null, IReadOnlyList<Departure>? departures = null,
        double? maximumTemperature = null) =>
        new(timeZone, windows ?? [], onlyWhileCharging, minimumBattery, departures ?? [], maximumTemperature);
}
