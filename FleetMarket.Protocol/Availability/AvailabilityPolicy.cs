using System.Text.Json.Serialization;
using FleetMarket.Protocol;

namespace FleetMarket.Protocol.Availability;

// The days travel as numbers (0 = Sunday) whatever the API's enum setting: installed workers read them so.

/// <summary>A weekly window in the device's local time; an end at or before the start runs past midnight.</summary>
public sealed record WeeklyWindow([property: JsonConverter(typeof(JsonNumberEnumConverter<DayOfWeek>))] DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>When a car leaves, in its local time: no unit may still be running then.</summary>
public sealed record Departure([property: JsonConverter(typeof(JsonNumberEnumConverter<DayOfWeek>))] DayOfWeek Day, TimeOnly At);

/// <summary>Whether a device may take a unit now, why not, and how long it may work if it may.</summary>
public sealed record AvailabilityDecision(bool Allowed, string? Reason, TimeSpan AvailableFor)
{
    public static AvailabilityDecision No(string reason) => new(false, reason, TimeSpan.Zero);
}

/// <summary>
/// The owner's rules for when a device may compute: weekly windows, only while charging, a minimum battery,
/// departure times and a thermal limit, in the device's time zone. The server applies them when it hands
/// out work and the worker before it asks, with the same code.
/// </summary>
public sealed record AvailabilityPolicy(
    string TimeZoneId,
    IReadOnlyList<WeeklyWindow> Windows,
    bool OnlyWhileCharging,
    int? MinimumBatteryPercent,
    IReadOnlyList<Departure> Departures,
    double? MaximumTemperatureCelsius)
{
    private const int MinutesPerDay = 24 * 60;
    private const int MinutesPerWeek = 7 * MinutesPerDay;

    /// <summary>Any time, on battery or not, within the built-in safety limits of <see cref="WorkReadiness"/>.</summary>
    public static AvailabilityPolicy Always { get; } = new("UTC", [], false, null, [], null);

    /// <summary>Checks the policy's own consistency; the message names the first problem.</summary>
    public string? Problem()
    {
        if (!TryFindTimeZone(TimeZoneId, out _))
        {
            return $"Unknown time zone '{TimeZoneId}'.";
        }

        if (MinimumBatteryPercent is < 0 or > 100)
        {
            return "The minimum battery must lie between 0 and 100 %.";
        }

        if (MaximumTemperatureCelsius is < 20 or > 110)
        {
            return "The thermal limit must lie between 20 and 110 °C.";
        }

        return Windows.Any(w => w.Start == w.End) ? "A window cannot start and end at the same time." : null;
    }

    /// <summary>Decides for a unit that takes up to <paramref name="workDuration"/> starting <paramref name="now"/>.</summary>
    public AvailabilityDecision Evaluate(DeviceConditions conditions, DateTimeOffset now, TimeSpan workDuration)
    {
        var (ready, reason) = WorkReadiness.Decide(conditions);
        if (!ready)
        {
            return AvailabilityDecision.No(reason!);
        }

        if (OnlyWhileCharging && conditions.IsCharging != true)
        {
            return AvailabilityDecision.No("The owner allows work only while charging.");
        }

        if (MinimumBatteryPercent is { } minimum && conditions.BatteryPercent < minimum)
        {
            return AvailabilityDecision.No($"Battery below the owner's minimum of {minimum} %.");
        }

        if (MaximumTemperatureCelsius is { } limit && conditions.TemperatureCelsius > limit)
        {
            return AvailabilityDecision.No($"Temperature above the owner's limit of {limit} °C.");
        }

        var available = TimeAvailableFrom(now);
        if (available <= TimeSpan.Zero)
        {
            return AvailabilityDecision.No("Outside the owner's weekly windows.");
        }

        return available < workDuration
            ? AvailabilityDecision.No($"Not enough time before the device must stop ({available.TotalMinutes:0} min left).")
            : new AvailabilityDecision(true, null, available);
    }

    /// <summary>
    /// Whether the clock rules (windows and departures) leave the device free for the whole of
    /// [<paramref name="start"/>, start + <paramref name="length"/>): what capacity can be sold ahead of time,
    /// when nothing is known yet of the device's battery or heat.
    /// </summary>
    public bool AllowsSlot(DateTimeOffset start, TimeSpan length) => TimeAvailableFrom(start) >= length;

    /// <summary>How long the device may work from <paramref name="now"/> before a window closes or the car leaves.</summary>
    public TimeSpan TimeAvailableFrom(DateTimeOffset now)
    {
        var local = MinuteOfWeek(now);
        var available = TimeSpan.FromMinutes(MinutesUntilWindowEnds(local) ?? MinutesPerWeek);
        return MinutesUntilNextDeparture(local) is { } departure && TimeSpan.FromMinutes(departure) < available
            ? TimeSpan.FromMinutes(departure)
            : available;
    }

    private int MinuteOfWeek(DateTimeOffset now)
    {
        TryFindTimeZone(TimeZoneId, out var zone);
        var local = TimeZoneInfo.ConvertTime(now, zone!);
        return ((int)local.DayOfWeek * MinutesPerDay) + (local.Hour * 60) + local.Minute;
    }

    /// <summary>Minutes left in the window that contains <paramref name="minute"/>: 0 when none does, null with no windows.</summary>
    private int? MinutesUntilWindowEnds(int minute)
    {
        if (Windows.Count == 0)
        {
            return null;
        }

        var left = 0;
        foreach (var window in Windows)
        {
            var start = ((int)window.Day * MinutesPerDay) + MinuteOfDay(window.Start);
            var end = ((int)window.Day * MinutesPerDay) + MinuteOfDay(window.End);
            if (end <= start)
            {
                end += MinutesPerDay;
            }

            // A window late on Saturday runs into Sunday: look at this week's and last week's occurrence.
            foreach (var shift in new[] { 0, -MinutesPerWeek })
            {
                if (minute >= start + shift && minute < end + shift)
                {
                    left = Math.Max(left, end + shift - minute);
                }
            }
        }

        return left;
    }

    private int? MinutesUntilNextDeparture(int minute) => Departures.Count == 0
        ? null
        : Departures.Min(d => (((int)d.Day * MinutesPerDay) + MinuteOfDay(d.At) - minute + MinutesPerWeek) % MinutesPerWeek);

    private static int MinuteOfDay(TimeOnly time) => (time.Hour * 60) + time.Minute;

    private static bool TryFindTimeZone(string id, out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            return false;
        }
    }
}
