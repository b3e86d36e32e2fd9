namespace FleetMarket.Domain.Verification;

/// <summary>
/// A job's verification policy. Results agree when every output has the same dtype and shape and, elementwise,
/// |a − b| ≤ <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · |b| (numpy's <c>isclose</c>).
/// </summary>
/// <param name="Replicas">For <see cref="VerificationMode.Redundancy"/>: how many devices run each unit.</param>
public sealed record VerificationPolicy(VerificationMode Mode, int Replicas, double AbsoluteTolerance, double RelativeTolerance)
{
    public const int MaxReplicas = 4;

    /// <summary>Loose enough for the same model on different accelerators (float16 paths, fused kernels).</summary>
    public const double DefaultAbsoluteTolerance = 1e-4;
    public const double DefaultRelativeTolerance = 1e-3;

    /// <summary>Results disagreeing is settled by at most this many further devices, after which the unit fails.</summary>
    public const int TieBreakers = 4;

    public static VerificationPolicy Adaptive { get; } = new(VerificationMode.Adaptive, 1, DefaultAbsoluteTolerance, DefaultRelativeTolerance);

    public static VerificationPolicy Unchecked { get; } = new(VerificationMode.None, 1, DefaultAbsoluteTolerance, DefaultRelativeTolerance);

    /// <summary>Checks what a buyer asked for; throws a <see cref="DomainException"/> with the reason otherwise.</summary>
    public static VerificationPolicy Create(VerificationMode mode, int? replicas = null, double? absoluteTolerance = null,
        double? relativeTolerance = null)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new DomainException("Verification is none, redundancy or adaptive.");
        }

        var copies = mode == VerificationMode.Redundancy ? replicas ?? 2 : 1;
        if (mode == VerificationMode.Redundancy && copies is < 2 or > MaxReplicas)
        {
            throw new DomainException($"Redundancy runs each unit on 2 to {MaxReplicas} devices.");
        }

        var absolute = absoluteTolerance ?? DefaultAbsoluteTolerance;
        var relative = relativeTolerance ?? DefaultRelativeTolerance;
        if (!double.IsFinite(absolute) || !double.IsFinite(relative) || absolute < 0 || relative < 0 || absolute > 1e6 || relative > 1)
        {
            throw new DomainException("Tolerances must be numbers at or above zero: the absolute at most 1e6, the relative at most 1.");
        }

        return new VerificationPolicy(mode, copies, absolute, relative);
    }

    /// <summary>Owners whose results must agree before a unit is accepted, when it is checked at all.</summary>
    public int Quorum => Mode == VerificationMode.Redundancy ? Replicas / 2 + 1 : Mode == VerificationMode.Adaptive ? 2 : 1;

    /// <summary>Distinct owners the policy needs to be able to accept anything: one device cannot check itself.</summary>
    public int OwnersNeeded => Mode == VerificationMode.None ? 1 : Quorum;

    /// <summary>
    /// What adaptive verification usually adds, in basis points of the runs: new devices are always cross-checked,
    /// proven ones spot-checked at 5–10 %, so across a fleet of mostly proven devices checks stay under 15 %.
    /// </summary>
    public const int AdaptiveExtraBasisPoints = 15_00;

    /// <summary>
    /// Runs the policy is expected to pay for per unit, in basis points (10,000 = one run): the copies redundancy
    /// always makes, or one run and the usual share of checks for adaptive. A job's hold is estimated with it.
    /// </summary>
    public int ExpectedRunsBasisPoints => Mode switch
    {
        VerificationMode.Redundancy => Replicas * 10_000,
        VerificationMode.Adaptive => 10_000 + AdaptiveExtraBasisPoints,
        _ => 10_000,
    };
}
