namespace FleetMarket.Domain.Devices;

/// <summary>What a device actually did on accepted work: inferences and the compute time they took.</summary>
public sealed record MeasuredSpeed(long Inferences, long ComputeMilliseconds)
{
    /// <summary>Less compute than this is too little to judge a claim by: start-up and small units dominate it.</summary>
    public static readonly TimeSpan Enough = TimeSpan.FromSeconds(10);

    public double InferencesPerSecond => ComputeMilliseconds > 0 ? Inferences * 1000.0 / ComputeMilliseconds : 0;

    public bool IsEnough => ComputeMilliseconds >= Enough.TotalMilliseconds;
}

/// <summary>
/// A device's benchmark score as buyers may rely on it. The worker reports the score itself, so it is checked
/// against the speed the device measured on real work: a claim more than <see cref="DisputeFactor"/> times that
/// speed is disputed, and the device is then ranked by what it did, not what it said. Buyers' models differ
/// from the reference model, so only a gap this wide, on enough work, counts as disagreement.
/// </summary>
public sealed record DeviceScore(double? Claimed, double? Measured, bool Disputed)
{
    public const double DisputeFactor = 10;

    /// <summary>The score to rank and filter by.</summary>
    public double? Effective => Disputed ? Measured : Claimed;

    public static DeviceScore Of(double? claimed, MeasuredSpeed? measured)
    {
        var speed = measured is { IsEnough: true } enough ? enough.InferencesPerSecond : (double?)null;
        return new DeviceScore(claimed, speed, claimed > DisputeFactor * speed);
    }
}
