namespace FleetMarket.Domain.Jobs;

/// <summary>What one accepted work unit is worth: exactly one per unit, settled into the ledger once.</summary>
public sealed class UsageRecord
{
    private UsageRecord()
    {
    }

    /// <param name="chargeMicros">The exact charge, in millionths of a minor unit; by default exactly <paramref name="chargeMinor"/>.</param>
    public UsageRecord(WorkUnit unit, InferenceJob job, Guid deviceId, string ownerId, long pricePerHourMinor,
        long chargeMinor, long feeMinor, DateTimeOffset now, long? chargeMicros = null)
    {
        if (feeMinor < 0 || feeMinor > chargeMinor)
        {
            throw new DomainException("The platform fee must lie between zero and the charge.");
        }

        // Time-ordered, so the ledger's idempotency keys made from it (usage:{id}) are appended to their unique index
        // at settlement instead of written all over it.
        Id = Guid.CreateVersion7(now);
        WorkUnitId = unit.Id;
        JobId = job.Id;
        ReservationId = job.ReservationId;
        BuyerId = job.BuyerId;
        DeviceId = deviceId;
        OwnerId = ownerId;
        ComputeMilliseconds = unit.ComputeMilliseconds;
        InferenceCount = unit.InferenceCount;
        PricePerHourMinor = pricePerHourMinor;
        ChargeMinor = chargeMinor;
        FeeMinor = feeMinor;
        ChargeMicros = chargeMicros ?? checked(chargeMinor * Pricing.UsagePricing.MicrosPerMinor);
        Currency = job.Currency;
        RecordedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid WorkUnitId { get; private set; }
    public Guid JobId { get; private set; }
    public Guid? ReservationId { get; private set; }
    public string BuyerId { get; private set; } = "";
    public Guid DeviceId { get; private set; }
    public string OwnerId { get; private set; } = "";
    public long ComputeMilliseconds { get; private set; }
    public long InferenceCount { get; private set; }
    public long PricePerHourMinor { get; private set; }
    /// <summary>
    /// The whole minor units this unit moved its job and owner's running charge by (see <c>Metering</c>): often zero
    /// for a small unit, whose exact charge is in <see cref="ChargeMicros"/>. The ledger posts these.
    /// </summary>
    public long ChargeMinor { get; private set; }

    /// <summary>What the unit's compute cost exactly, in millionths of a minor unit.</summary>
    public long ChargeMicros { get; private set; }
    public long FeeMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
    public DateTimeOffset? SettledAt { get; private set; }

    /// <summary>Set when the work was found wrong after it was accepted; the ledger then reverses its settlement.</summary>
    public DateTimeOffset? ReversedAt { get; private set; }
    public string? ReversalReason { get; private set; }

    /// <summary>Set once settlement has posted the reversal: the buyer refunded, the owner's share and the fee taken back.</summary>
    public DateTimeOffset? ReversalSettledAt { get; private set; }

    public long OwnerShareMinor => ChargeMinor - FeeMinor;

    public void MarkSettled(DateTimeOffset now) => SettledAt ??= now;

    public void MarkReversalSettled(DateTimeOffset now) => ReversalSettledAt ??= now;

    /// <summary>Rejects accepted work; false when it was already reversed.</summary>
    public bool Reverse(string reason, DateTimeOffset now)
    {
        if (ReversedAt is not null)
        {
            return false;
        }

        ReversedAt = now;
        ReversalReason = reason;
        return true;
    }
}
