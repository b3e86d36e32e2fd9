namespace FleetMarket.Domain.Pricing;

/// <summary>
/// Sizes an on-demand job's escrow from what the job is expected to cost, and keeps it ahead of the spending as the
/// job runs. The estimate is the model's cost per row (measured, or a probe's assumption) × the rows × the hourly
/// price × the runs its verification pays for; the hold is that × a margin, never below a minimum. Once rows are
/// accepted, what they cost (checks included) replaces the estimate for the rows still to run. All amounts are exact
/// integers in millionths of a minor unit (<see cref="UsagePricing.MicrosPerMinor"/>) until they become a hold, which
/// is rounded up to whole minor units.
/// </summary>
public static class JobHolds
{
    /// <summary>
    /// What one row is expected to cost, in millionths of a minor unit (rounded up): <paramref name="millisecondsPerRow"/>
    /// of compute at <paramref name="pricePerHourMinor"/>, times the runs verification is expected to pay for.
    /// </summary>
    public static long MicrosPerRow(double millisecondsPerRow, long pricePerHourMinor, int expectedRunsBasisPoints)
    {
        if (!double.IsFinite(millisecondsPerRow) || millisecondsPerRow < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(millisecondsPerRow), millisecondsPerRow, "A cost per row is a finite number at or above zero.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(pricePerHourMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRunsBasisPoints);

        // No unit is metered for longer than a day, so no row can honestly cost more: this keeps the decimal in range.
        var milliseconds = (decimal)Math.Min(millisecondsPerRow, TimeSpan.FromDays(1).TotalMilliseconds);

        // ms × price × 10⁶ / 3,600,000 = ms × price × 10 / 36; then the runs, in basis points.
        return (long)Math.Ceiling(milliseconds * pricePerHourMinor * 10m / 36m * expectedRunsBasisPoints / 10_000m);
    }

    /// <summary>The hold for <paramref name="rows"/> rows at <paramref name="microsPerRow"/>: × the margin, rounded up, at least the minimum.</summary>
    public static long HoldMinor(long microsPerRow, long rows, int marginPercent, long minimumMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(microsPerRow);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(marginPercent, 100);
        return Math.Max(minimumMinor, CeilingDivide(checked(microsPerRow * rows * marginPercent), 100 * UsagePricing.MicrosPerMinor));
    }

    /// <summary>
    /// Looks at a running job's hold against its spending. The rows still to run are projected at what the accepted rows
    /// cost so far (at <paramref name="estimatedMicrosPerRow"/> before any is accepted). While what is left of the hold
    /// covers that projection with at least half the margin, nothing is needed; below that, the hold is topped up to
    /// the projection × the whole margin. Topping up to the full margin, not the half, means a job whose cost matches
    /// the projection is never looked at twice for the same shortfall.
    /// </summary>
    /// <param name="heldMinor">All the job holds: the first hold and every top-up.</param>
    /// <param name="spentMicros">What its accepted work cost, exactly.</param>
    /// <param name="rowsDone">Rows with an accepted result.</param>
    public static HoldReview Review(long heldMinor, long spentMicros, long rowsDone, long rowCount, long estimatedMicrosPerRow, int marginPercent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(marginPercent, 100);
        var remainingRows = Math.Max(0, rowCount - rowsDone);
        var perRow = rowsDone > 0 ? CeilingDivide(Math.Max(0, spentMicros), rowsDone) : estimatedMicrosPerRow;
        var remainingMicros = checked(remainingRows * perRow);
        var leftMicros = checked(heldMinor * UsagePricing.MicrosPerMinor - spentMicros);
        var topUp = remainingMicros == 0 || leftMicros >= remainingMicros * (100 + marginPercent) / 200
            ? 0
            : Math.Max(1, CeilingDivide(checked(remainingMicros * marginPercent) / 100 - leftMicros, UsagePricing.MicrosPerMinor));

        // Looked at again once half of what is then left is spent: a few times per job, however long it runs.
        var left = FloorDivide(leftMicros, UsagePricing.MicrosPerMinor) + topUp;
        return new HoldReview(topUp, Math.Max(0, left / 2), remainingMicros);
    }

    private static long CeilingDivide(long numerator, long denominator) =>
        numerator <= 0 ? numerator / denominator : (numerator + denominator - 1) / denominator;

    private static long FloorDivide(long numerator, long denominator) =>
        numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);
}

/// <param name="TopUpMinor">What to add to the hold now; zero when it still covers the job.</param>
/// <param name="ReviewBelowMinor">Look again once what is left of the hold (with the top-up) falls below this.</param>
/// <param name="RemainingMicros">What the rows still to run are expected to cost, exactly, without the margin.</param>
public readonly record struct HoldReview(long TopUpMinor, long ReviewBelowMinor, long RemainingMicros);
