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

    internal WorkUnit(Guid jobId, int index, int rowStart, int rowCount, string inputSha256, int replica = 0,
        WorkUnitStatus status = WorkUnitStatus.Queued)
    {
        Id = Guid.NewGuid();
        JobId = jobId;
        Index = index;
        Replica = replica;
        RowStart = rowStart;
        RowCount = rowCount;
        InputSha256 = inputSha256;
        Status = status;
    }

    public Guid Id { get; private set; }
    public Guid JobId { get; private set; }
    public int Index { get; private set; }

    /// <summary>
    /// 0 for a unit's first run; 1, 2, … for the further runs on other owners' devices that verification adds.
    /// Replicas share the index, rows and input; each is leased, paid and judged on its own.
    /// </summary>
    public int Replica { get; private set; }

    /// <summary>The owner of the device that last leased the unit: a replica never goes to an owner who ran its index.</summary>
    public string? OwnerId { get; private set; }

    /// <summary>Bumped by every verification decision on the unit's index (kept on replica 0): two decisions at once cannot both win.</summary>
    public int DecisionVersion { get; private set; }
    public int RowStart { get; private set; }
    public int RowCount { get; private set; }
    public string InputSha256 { get; private set; } = "";
    public WorkUnitStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public Guid? LeaseId { get; private set; }
    public Guid? DeviceId { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>When the current lease began: renewals keep a unit going for at most the longest a unit may run from here.</summary>
    public DateTimeOffset? LeasedAt { get; private set; }

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

    /// <summary>
    /// Units a job still has to run or to judge: while any is left its outputs cannot be assembled. Rows waiting for a
    /// measured cost count, though not yet cut into units.
    /// </summary>
    public static Expression<Func<WorkUnit, bool>> Outstanding =>
        unit => unit.Status == WorkUnitStatus.Queued || unit.Status == WorkUnitStatus.Leased || unit.Status == WorkUnitStatus.Checking
                || unit.Status == WorkUnitStatus.Waiting;

    /// <summary>Units whose last lease ran out with no attempt left: they fail rather than wait forever.</summary>
    public static Expression<Func<WorkUnit, bool>> ExhaustedAt(DateTimeOffset now) =>
        unit => unit.Status == WorkUnitStatus.Leased && unit.LeaseExpiresAt < now && unit.Attempts >= MaxAttempts;

    public bool HoldsLease(Guid leaseId, DateTimeOffset now) =>
        Status == WorkUnitStatus.Leased && LeaseId == leaseId && LeaseExpiresAt > now;

    /// <summary>
    /// Takes the device's result for the live lease, to be judged (<see cref="WorkUnitStatus.Checking"/>); false when
    /// the lease is not (or no longer) this unit's.
    /// </summary>
    public bool Complete(Guid leaseId, string outputSha256, long computeMilliseconds, long inferenceCount, DateTimeOffset now)
    {
        if (!HoldsLease(leaseId, now))
        {
            return false;
        }

        Status = WorkUnitStatus.Checking;
        OutputSha256 = outputSha256;
        ComputeMilliseconds = Math.Max(0, computeMilliseconds);
        InferenceCount = Math.Max(0, inferenceCount);
        CompletedAt = now;
        return true;
    }

    /// <summary>Verification accepted the result: it counts towards the job and is paid.</summary>
    public void Accept() => Status = Status == WorkUnitStatus.Checking ? WorkUnitStatus.Done : throw new InvalidOperationException($"A {Status} unit has no result to accept.");

    /// <summary>Verification found the result wrong: it is never paid and the device's record shows it.</summary>
    public void Reject(string reason)
    {
        Status = Status == WorkUnitStatus.Checking ? WorkUnitStatus.Rejected : throw new InvalidOperationException($"A {Status} unit has no result to reject.");
        FailureReason = reason;
    }

    /// <summary>
    /// An accepted result that was never checked, from a device since caught returning a wrong one: it no longer
    /// counts, and the unit runs again on other owners' devices.
    /// </summary>
    public void Revoke(string reason)
    {
        Status = Status == WorkUnitStatus.Done ? WorkUnitStatus.Rejected : throw new InvalidOperationException($"A {Status} unit has no accepted result.");
        FailureReason = reason;
    }

    /// <summary>No two results agreed, even after the tie-breakers: the unit fails.</summary>
    public void FailVerification(string reason)
    {
        Status = WorkUnitStatus.Failed;
        FailureReason = reason;
    }

    /// <summary>Another run of the unit on a device of another owner, to check the results so far.</summary>
    public WorkUnit NewReplica(int replica) => new(JobId, Index, RowStart, RowCount, InputSha256, replica);

    /// <summary>Marks a decision on this (replica 0) unit's index, for optimistic concurrency between decisions.</summary>
    public void BumpDecision() => DecisionVersion++;

    /// <summary>A replica nobody needs any more (its index was decided): out of the queue, neither failed nor paid.</summary>
    public void Drop()
    {
        if (Status == WorkUnitStatus.Queued)
        {
            Status = WorkUnitStatus.Dropped;
        }
    }

    /// <summary>Takes a unit that has not started (or rows not yet cut into units) out of the queue for good.</summary>
    public void Withdraw(string reason)
    {
        if (Status is WorkUnitStatus.Queued or WorkUnitStatus.Waiting)
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
        LeasedAt = null;
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
