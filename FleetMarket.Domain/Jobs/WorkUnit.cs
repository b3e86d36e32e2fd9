using System.Linq.Expressions;

namespace FleetMarket.Domain.Jobs;

/// <summary>A slice of a job's rows that one device runs under a time-limited lease.</summary>
public sealed class WorkUnit
{
    /// <summary>Attempts after which a unit fails instead of going back to the queue.</summary>
    public const int MaxAttempts = 3;

    private WorkUnit()
    {
    }

    internal WorkUnit(Guid jobId, int index, int rowStart, int rowCount, string inputSha256)
    {
        Id = Guid.NewGuid();
        JobId = jobId;
        Index = index;
        RowStart = rowStart;
        RowCount = rowCount;
        InputSha256 = inputSha256;
        Status = WorkUnitStatus.Queued;
    }

    public Guid Id { get; private set; }
    public Guid JobId { get; private set; }
    public int Index { get; private set; }
    public int RowStart { get; private set; }
    public int RowCount { get; private set; }
    public string InputSha256 { get; private set; } = "";
    public WorkUnitStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public Guid? LeaseId { get; private set; }
    public Guid? DeviceId { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>The hourly price agreed when the unit was last leased: the device's asking price, or its reserved slot's.</summary>
    public long PricePerHourMinor { get; private set; }
    public string? OutputSha256 { get; private set; }
    public long ComputeMilliseconds { get; private set; }
    public long InferenceCount { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? FailureReason { get; private set; }

    /// <summary>
    /// A unit may be leased when it is queued, or when its lease ran out (expiry puts it back in the
    /// queue without a sweeper). One expression so the database's conditional update uses the same rule.
    /// </summary>
    public static Expression<Func<WorkUnit, bool>> LeasableAt(DateTimeOffset now) =>
        unit => unit.Status == WorkUnitStatus.Queued
                || (unit.Status == WorkUnitStatus.Leased && unit.LeaseExpiresAt < now && unit.Attempts < MaxAttempts);

    /// <summary>Units whose last lease ran out with no attempt left: they fail rather than wait forever.</summary>
    public static Expression<Func<WorkUnit, bool>> ExhaustedAt(DateTimeOffset now) =>
        unit => unit.Status == WorkUnitStatus.Leased && unit.LeaseExpiresAt < now && unit.Attempts >= MaxAttempts;

    public bool HoldsLease(Guid leaseId, DateTimeOffset now) =>
        Status == WorkUnitStatus.Leased && LeaseId == leaseId && LeaseExpiresAt > now;

    /// <summary>Accepts the device's result for the live lease; false when the lease is not (or no longer) this unit's.</summary>
    public bool Complete(Guid leaseId, string outputSha256, long computeMilliseconds, long inferenceCount, DateTimeOffset now)
    {
        if (!HoldsLease(leaseId, now))
        {
            return false;
        }

        Status = WorkUnitStatus.Done;
        OutputSha256 = outputSha256;
        ComputeMilliseconds = Math.Max(0, computeMilliseconds);
        InferenceCount = Math.Max(0, inferenceCount);
        CompletedAt = now;
        return true;
    }

    /// <summary>Takes a unit that has not started out of the queue for good.</summary>
    public void Withdraw(string reason)
    {
        if (Status == WorkUnitStatus.Queued)
        {
            Status = WorkUnitStatus.Failed;
            FailureReason = reason;
        }
    }

    /// <summary>The device gave the unit back: it returns to the queue, or fails once it has used its attempts.</summary>
    public void Release(Guid leaseId, string reason)
    {
        if (Status != WorkUnitStatus.Leased || LeaseId != leaseId)
        {
            return;
        }

        LeaseId = null;
        DeviceId = null;
        LeaseExpiresAt = null;
        if (Attempts >= MaxAttempts)
        {
            Status = WorkUnitStatus.Failed;
            FailureReason = $"Gave up after {Attempts} attempts; last: {reason}";
        }
        else
        {
            Status = WorkUnitStatus.Queued;
        }
    }
}
