namespace FleetMarket.Domain.Pricing;

/// <summary>
/// What one owner's devices have earned on one job so far, exactly, in millionths of a minor unit. Each accepted
/// unit adds its exact charge, and its usage record carries the whole minor units that addition carries the running
/// total over: the job's charge to the buyer is the floor of the exact total (within one minor unit of compute ×
/// price however the job was split), and the platform's fee is its share of that total, rounded down once, not per
/// unit. The remainder below a minor unit waits for the next unit of the same job and owner.
/// </summary>
public sealed class Metering
{
    private Metering()
    {
    }

    public Metering(Guid jobId, string ownerId)
    {
        JobId = jobId;
        OwnerId = ownerId;
    }

    public Guid JobId { get; private set; }
    public string OwnerId { get; private set; } = "";

    /// <summary>The exact running total; two units of one job and owner accepted at once race on it (a concurrency token).</summary>
    public long ChargeMicros { get; private set; }

    public long ChargeMinor => ChargeMicros / UsagePricing.MicrosPerMinor;

    /// <summary>Adds a unit's exact charge; returns the whole minor units it moves the charge and the fee by.</summary>
    public (long ChargeMinor, long FeeMinor) Add(long chargeMicros, int feeBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chargeMicros);
        var (chargeBefore, feeBefore) = (ChargeMinor, UsagePricing.PlatformFee(ChargeMinor, feeBasisPoints));
        ChargeMicros = checked(ChargeMicros + chargeMicros);
        return (ChargeMinor - chargeBefore, UsagePricing.PlatformFee(ChargeMinor, feeBasisPoints) - feeBefore);
    }
}
