namespace FleetMarket.Domain.Payouts;

/// <summary>Why a payout deserves a closer look before it is approved.</summary>
[Flags]
public enum PayoutAnomalies
{
    None = 0,

    /// <summary>The owner's devices metered far more compute than their benchmark scores say the work needed.</summary>
    MeteringBeyondBenchmark = 1,

    /// <summary>A large share of the owner's accepted work was later found wrong and reversed.</summary>
    HighRejectionRate = 2,

    /// <summary>A device paired only days ago already earned a large amount.</summary>
    NewDeviceLargeEarnings = 4,

    /// <summary>The payout is far above what the owner is usually paid.</summary>
    FarAboveUsual = 8,
}

/// <summary>What is known about an owner when a payout is built, for <see cref="PayoutAnomalyRules"/>.</summary>
/// <param name="MeteredMilliseconds">Compute time the owner's devices metered in the period.</param>
/// <param name="ExpectedMilliseconds">What the same work should take at each device's benchmark, relative to the other devices on the same jobs.</param>
/// <param name="UsageRecords">Accepted units in the period.</param>
/// <param name="ReversedRecords">Of those, how many were later reversed.</param>
/// <param name="NewDeviceEarningsMinor">The most a device younger than the new-device age earned in the period.</param>
/// <param name="PreviousPayoutsMinor">The owner's earlier payouts that were paid.</param>
public sealed record PayoutFacts(long AmountMinor, long MeteredMilliseconds, long ExpectedMilliseconds, int UsageRecords,
    int ReversedRecords, long NewDeviceEarningsMinor, IReadOnlyList<long> PreviousPayoutsMinor);

/// <summary>The anomaly rules, with their thresholds in one place.</summary>
public static class PayoutAnomalyRules
{
    public const double MeteringTolerance = 3.0;
    public const long MinimumMeteredMilliseconds = 60_000;
    public const double RejectionRateLimit = 0.10;
    public const int MinimumRecordsForRate = 10;
    public const double UsualMultiple = 3.0;
    public const int MinimumPreviousPayouts = 2;

    public static PayoutAnomalies Evaluate(PayoutFacts facts, long newDeviceEarningsLimitMinor)
    {
        var flags = PayoutAnomalies.None;
        if (facts.MeteredMilliseconds >= MinimumMeteredMilliseconds && facts.MeteredMilliseconds > MeteringTolerance * facts.ExpectedMilliseconds)
        {
            flags |= PayoutAnomalies.MeteringBeyondBenchmark;
        }

        if (facts.UsageRecords >= MinimumRecordsForRate && facts.ReversedRecords > RejectionRateLimit * facts.UsageRecords)
        {
            flags |= PayoutAnomalies.HighRejectionRate;
        }

        if (facts.NewDeviceEarningsMinor > newDeviceEarningsLimitMinor)
        {
            flags |= PayoutAnomalies.NewDeviceLargeEarnings;
        }

        if (facts.PreviousPayoutsMinor.Count >= MinimumPreviousPayouts
            && facts.AmountMinor > UsualMultiple * facts.PreviousPayoutsMinor.Average())
        {
            flags |= PayoutAnomalies.FarAboveUsual;
        }

        return flags;
    }
}
