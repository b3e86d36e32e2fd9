namespace FleetMarket.Domain.Reservations;

/// <summary>Capacity is sold in whole device-hours that start on the hour (UTC).</summary>
public static class CapacityClock
{
    public static readonly TimeSpan SlotLength = TimeSpan.FromHours(1);

    /// <summary>How far ahead capacity can be browsed and reserved; owners' weekly policies say little beyond it.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <summary>The first slot start at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset NextSlotStart(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        return hour == utc ? hour : hour + SlotLength;
    }

    /// <summary>The starts of the whole slots that fit in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static IEnumerable<DateTimeOffset> SlotStarts(DateTimeOffset from, DateTimeOffset to)
    {
        for (var start = NextSlotStart(from); start + SlotLength <= to; start += SlotLength)
        {
            yield return start;
        }
    }
}
