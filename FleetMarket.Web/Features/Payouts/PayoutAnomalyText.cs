using FleetMarket.Domain.Payouts;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>What each anomaly flag is called on screen and in exports, and what a reviewer should know about it.</summary>
public static class PayoutAnomalyText
{
    public static IReadOnlyList<PayoutAnomalies> Flags { get; } =
        Enum.GetValues<PayoutAnomalies>().Where(flag => flag != PayoutAnomalies.None).ToList();

    public static IEnumerable<PayoutAnomalies> Of(PayoutAnomalies anomalies) => Flags.Where(flag => anomalies.HasFlag(flag));

    public static string Label(PayoutAnomalies flag) => flag switch
    {
        PayoutAnomalies.MeteringBeyondBenchmark => "Metering",
        PayoutAnomalies.HighRejectionRate => "Rejections",
        PayoutAnomalies.NewDeviceLargeEarnings => "New device",
        PayoutAnomalies.FarAboveUsual => "Above usual",
        _ => flag.ToString(),
    };

    public static string Explanation(PayoutAnomalies flag) => flag switch
    {
        PayoutAnomalies.MeteringBeyondBenchmark =>
            $"The owner's devices metered more than {PayoutAnomalyRules.MeteringTolerance:0.#}× the compute time their benchmark scores say the same work needed.",
        PayoutAnomalies.HighRejectionRate =>
            $"More than {PayoutAnomalyRules.RejectionRateLimit:0%} of the owner's accepted work units (of at least {PayoutAnomalyRules.MinimumRecordsForRate}) were later found wrong and reversed.",
        PayoutAnomalies.NewDeviceLargeEarnings =>
            "A device paired only days ago already earned more than the new-device limit.",
        PayoutAnomalies.FarAboveUsual =>
            $"The payout is more than {PayoutAnomalyRules.UsualMultiple:0.#}× the owner's average paid payout.",
        _ => "",
    };
}
