namespace FleetMarket.Domain.Reservations;

/// <summary>Capacity is sold in whole device-hours that start on the hour (UTC).</summary>
public static class CapacityClock
{
    public static readonly TimeSpan SlotLength = TimeSpan.FromHours(1);

    /// <summary>How far ahead capacity can be browsed and reserved; owners' weekly policies say little beyond it.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <summary>The start of the slot that contains <paramref name="time"/>.</summary>
    public static DateTimeOffset SlotStartOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The first slot start at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset NextSlotStart(DateTimeOffset time)
    {
        var hour = SlotStartOf(time);
        return hour == time ? hour : hour + SlotLength;
    }

    /// <summary>
    /// Where a window's slots begin: its own start when that is still to come; otherwise the slot under way
    /// now, so capacity can be used at once (reservations pay for compute used, so a part-gone hour costs nothing extra).
    /// </summary>
    public static DateTimeOffset FirstSlotFrom(DateTimeOffset windowStart, DateTimeOffset now) =>
        windowStart > now ? NextSlotStart(windowStart) : SlotStartOf(now);

    /// <summary>The starts of the whole slots that fit in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static IEnumerable<DateTimeOffset> SlotStarts(DateTimeOffset from, DateTimeOffset to)
    {
        for (var start = NextSlotStart(from); start + SlotLength <= to; start += SlotLength)
        {
            yield return start;
        }
    }
}
