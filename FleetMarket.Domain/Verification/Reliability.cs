namespace FleetMarket.Domain.Verification;

/// <summary>
/// A device's track record from checked results, and what follows from it: how often its results are checked
/// (BOINC's adaptive replication) and whether it is failing and gets less work.
/// </summary>
public static class Reliability
{
    /// <summary>Consecutive valid checked results after which a device is trusted and only spot-checked.</summary>
    public const int TrustedStreak = 10;

    /// <summary>The lowest spot-check rate of a trusted device.</summary>
    public const double SpotCheckFloor = 0.05;

    /// <summary>Below this score, with enough bad results to be sure, a device is failing.</summary>
    public const double FailingScore = 0.5;
    public const int FailingMinimumBadResults = 3;

    /// <summary>Laplace-smoothed share of good results: a new device starts at one half.</summary>
    public static double Score(int valid, int invalid, int timedOut) => (valid + 1.0) / (valid + invalid + timedOut + 2.0);

    public static bool IsTrusted(int validStreak) => validStreak >= TrustedStreak;

    /// <summary>How likely the device's next result is cross-checked: always until trusted, then max(5 %, 1 / streak).</summary>
    public static double CheckProbability(int validStreak) =>
        IsTrusted(validStreak) ? Math.Max(SpotCheckFloor, 1.0 / validStreak) : 1.0;

    /// <summary>A failing device holds one lease at a time and is offered work with a probability equal to its score.</summary>
    public static bool IsFailing(int valid, int invalid, int timedOut) =>
        invalid + timedOut >= FailingMinimumBadResults && Score(valid, invalid, timedOut) < FailingScore;
}
