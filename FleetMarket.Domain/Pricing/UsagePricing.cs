namespace FleetMarket.Domain.Pricing;

/// <summary>Turns metered compute time into money, in integer minor units, rounding in the owner's favour.</summary>
public static class UsagePricing
{
    private const long MillisecondsPerHour = 3_600_000;

    /// <summary>
    /// The most a device-hour may cost, asked or offered, in minor units of any currency (USD 1,000.00): far above any
    /// real price, and far enough below <see cref="long.MaxValue"/> that no charge, cap or hold computed from a price can overflow.
    /// </summary>
    public const long MaxPricePerHourMinor = 1_000_00;

    /// <summary>The most a device-hour may cost in <paramref name="currency"/>.</summary>
    public static Money.Money MaxPricePerHour(string currency) => new(MaxPricePerHourMinor, currency);

    /// <summary>How <see cref="MaxPricePerHour"/> reads in messages: "1,000.00" in USD.</summary>
    public static string MaxPriceText(string currency) => MaxPricePerHour(currency).ToMajorText();

    /// <summary>
    /// Usage is metered in millionths of a minor unit and turned into whole minor units once per job and owner
    /// (<see cref="Metering"/>), so a job's charge does not depend on how it was split into units.
    /// </summary>
    public const long MicrosPerMinor = 1_000_000;

    /// <summary>
    /// The exact charge for <paramref name="computeMilliseconds"/> at an hourly price, in millionths of a minor unit
    /// (to the nearest: the rounding is below a millionth of a cent a unit), never more than <paramref name="capMinor"/>.
    /// </summary>
    public static long ChargeMicros(long pricePerHourMinor, long computeMilliseconds, long capMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerHourMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(computeMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(capMinor);
        // price × ms × 10⁶ / 3,600,000 = price × ms × 10 / 36, rounded half up.
        var micros = (checked(pricePerHourMinor * computeMilliseconds * 10) + 18) / 36;
        return Math.Min(micros, checked(capMinor * MicrosPerMinor));
    }

    /// <summary>The most one unit can cost: its price for the longest a unit may run.</summary>
    public static long UnitCap(long maxPricePerHourMinor, TimeSpan maxUnitDuration) =>
        Math.Max(1, CeilingDivide(checked(maxPricePerHourMinor * (long)maxUnitDuration.TotalMilliseconds), MillisecondsPerHour));

    /// <summary>The platform's share of a charge in whole minor units, in basis points, rounded down.</summary>
    public static long PlatformFee(long chargeMinor, int feeBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chargeMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(feeBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(feeBasisPoints, 10_000);
        return chargeMinor * feeBasisPoints / 10_000;
    }

    private static long CeilingDivide(long numerator, long denominator) => (numerator + denominator - 1) / denominator;
}
