namespace FleetMarket.Domain.Devices;

/// <summary>
/// A device's benchmark score as buyers may rely on it. The worker reports the score itself, so it is checked
/// against the score its real work implies (<see cref="PeerCalibration"/>): a claim more than
/// <see cref="DisputeFactor"/> times that is disputed, and the device is then ranked by what it did, not what it
/// said.
/// </summary>
public sealed record DeviceScore(double? Claimed, double? Measured, bool Disputed)
{
    /// <summary>
    /// The reference device's score, 1.0× in the portal: what the worker's benchmark measures on this project's own
    /// machine, a 2-core AMD EPYC cloud server (about 100 million inferences a second of the benchmark's small model).
    /// Owners and buyers compare "2.5×" more readily than 250,000,000 inferences a second of a model they never see.
    /// </summary>
    public const double ReferenceScore = 100_000_000;

    /// <summary>Units differ in size and devices in load, so only a gap this wide counts as disagreement.</summary>
    public const double DisputeFactor = 10;

    /// <summary>The score to rank and filter by.</summary>
    public double? Effective => Disputed ? Measured : Claimed;

    public static DeviceScore Of(double? claimed, MeasuredScore? measured)
    {
        var score = measured is { IsEnough: true } enough ? enough.Score : (double?)null;
        return new DeviceScore(claimed, score, claimed > DisputeFactor * score);
    }
}

/// <summary>The benchmark score a device's accepted work implies, and how much compute that rests on.</summary>
public sealed record MeasuredScore(double Score, long ComputeMilliseconds)
{
    /// <summary>Less compute than this is too little to judge a claim by: start-up and small units dominate it.</summary>
    public static readonly TimeSpan Enough = TimeSpan.FromSeconds(10);

    public bool IsEnough => ComputeMilliseconds >= Enough.TotalMilliseconds;
}
