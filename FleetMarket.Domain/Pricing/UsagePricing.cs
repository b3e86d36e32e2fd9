namespace FleetMarket.Domain.Pricing;

/// <summary>Turns metered compute time into money, in integer minor units, rounding in the owner's favour.</summary>
public static class UsagePricing
{
    private const long MillisecondsPerHour = 3_600_000;

    /// <summary>
    /// The most a device-hour may cost, asked or offered (1,000.00): far above any real price, and far enough
    /// below <see cref="long.MaxValue"/> that no charge, cap or hold computed from a price can overflow.
    /// </summary>
    public const long MaxPricePerHourMinor = 1_000_00;

    /// <summary>How <see cref="MaxPricePerHourMinor"/> reads in messages.</summary>
    public static string MaxPriceText => $"{MaxPricePerHourMinor / 100:N0}.{MaxPricePerHourMinor % 100:00}";

    /// <summary>
    /// The charge for <paramref name="computeMilliseconds"/> at an hourly price: rounded up to a whole minor
    /// unit, at least one minor unit for any accepted work, never more than <paramref name="capMinor"/>.
    /// </summary>
    public static long Charge(long pricePerHourMinor, long computeMilliseconds, long capMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerHourMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(computeMilliseconds);
        var raw = CeilingDivide(checked(pricePerHourMinor * computeMilliseconds), MillisecondsPerHour);
        return Math.Min(Math.Max(raw, 1), capMinor);
    }

    /// <summary>The most one unit can cost: its price for the longest a unit may run.</summary>
    public static long UnitCap(long maxPricePerHourMinor, TimeSpan maxUnitDuration) =>
        Math.Max(1, CeilingDivide(checked(maxPricePerHourMinor * (long)maxUnitDuration.TotalMilliseconds), MillisecondsPerHour));

    /// <summary>The platform's share of a charge, in basis points, rounded down.</summary>
    public static long PlatformFee(long chargeMinor, int feeBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chargeMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(feeBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(feeBasisPoints, 10_000);
        return chargeMinor * feeBasisPoints / 10_000;
    }

    private static long CeilingDivide(long numerator, long denominator) => (numerator + denominator - 1) / denominator;
}
