namespace FleetMarket.Web.Features.Devices;

/// <summary>How reliability reads on screen: a whole percentage, and the counts behind it in words.</summary>
public static class ReliabilityText
{
    /// <summary>
    /// Below this, about one result in five goes bad: worth a reviewer's look. A line for people only; the dispatcher
    /// acts on <see cref="Domain.Verification.Reliability.IsFailing"/>.
    /// </summary>
    public const double WorthALookBelow = 0.8;

    public const string FailingConsequence = "offered less work, one lease at a time, until more of its results agree";

    /// <summary>Rounded down, so a score under the 80 % line never reads as 80 %; the epsilon absorbs binary error such as 0.29 × 100 = 28.999….</summary>
    public static string Percent(double score) => $"{Math.Floor(score * 100 + 1e-9):0} %";

    /// <summary>The counts behind the score, or, before there are any, what will make one.</summary>
    public static string Explanation(DeviceReliability device) => device.HasRecord
        ? $"{Count(device.Valid, "checked result", "checked results")} agreed, {device.Invalid} rejected, {device.TimedOut} timed out"
        : "Scored once its results are cross-checked";

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
