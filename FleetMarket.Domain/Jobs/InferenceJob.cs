using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Validation;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Jobs;

/// <summary>A buyer's batch: one model run over the rows of its inputs, split into work units.</summary>
public sealed class InferenceJob
{
    private readonly List<WorkUnit> _units = [];

    private InferenceJob()
    {
    }

    public InferenceJob(string buyerId, string name, string modelSha256, int rowCount, long maxPricePerHourMinor,
        string currency, DateTimeOffset now, JobPriority priority = JobPriority.Normal, Guid? reservationId = null,
        VerificationPolicy? verification = null)
    {
        if (rowCount <= 0)
        {
            throw new DomainException("A job needs at least one input row.");
        }

        if (maxPricePerHourMinor <= 0)
        {
            throw new DomainException("The maximum price per device-hour must be above zero.");
        }

        if (maxPricePerHourMinor > UsagePricing.MaxPricePerHourMinor)
        {
            throw new DomainException($"The maximum price per device-hour can be at most {UsagePricing.MaxPriceText(currency)}.");
        }

        Id = Guid.NewGuid();
        BuyerId = buyerId;
        var given = PlainText.Require(name, "The job's name", FieldLimits.JobName, required: false);
        Name = given.Length == 0 ? "Untitled job" : given;
        ModelSha256 = modelSha256;
        RowCount = rowCount;
        MaxPricePerHourMinor = maxPricePerHourMinor;
        Currency = currency;
        Status = JobStatus.Queued;
        CreatedAt = now;
        Priority = Enum.IsDefined(priority) ? priority : throw new DomainException("Priority is low, normal or high.");
        ReservationId = reservationId;
        Verification = verification ?? VerificationPolicy.Adaptive;
    }

    public Guid Id { get; private set; }
    public string BuyerId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string ModelSha256 { get; private set; } = "";
    public int RowCount { get; private set; }
    public long MaxPricePerHourMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public JobPriority Priority { get; private set; }

    /// <summary>
    /// The reservation whose devices run the job, inside its window, paid from its escrow; null for the
    /// on-demand pool, where each device is paid its asking price out of the job's own escrow.
    /// </summary>
    public Guid? ReservationId { get; private set; }

    /// <summary>How the results are checked before they are accepted and paid for.</summary>
    public VerificationPolicy Verification { get; private set; } = VerificationPolicy.Adaptive;

    /// <summary>Money moved from the buyer's balance into escrow for the job: when it was submitted, and every top-up since.</summary>
    public long HeldMinor { get; private set; }

    /// <summary>
    /// What one row was expected to cost when the job was submitted (checks included, no margin), in millionths of a
    /// minor unit; the hold is projected from it until rows are accepted. Zero on a reservation's jobs.
    /// </summary>
    public long EstimatedMicrosPerRow { get; private set; }

    /// <summary>How many times the hold was topped up; each top-up's ledger key carries its number.</summary>
    public int HoldTopUps { get; private set; }

    /// <summary>Once what is left of the hold falls below this, the hold is looked at again (<see cref="JobHolds.Review"/>).</summary>
    public long HoldReviewBelowMinor { get; private set; }

    /// <summary>Why a <see cref="JobStatus.Paused"/> job gets no new units, in words for the buyer.</summary>
    public string? PauseReason { get; private set; }
    public JobStatus Status { get; private set; }
    public string? FailureReason { get; private set; }
    public string? OutputSha256 { get; private set; }
    public string? OutputFileName { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Set once the unspent escrow has gone back to the buyer's balance.</summary>
    public DateTimeOffset? EscrowReleasedAt { get; private set; }

    public IReadOnlyList<WorkUnit> Units => _units;

    /// <summary>
    /// The row ranges of the units, in input order, each at most <paramref name="rowsPerUnit"/> rows, from row
    /// <paramref name="from"/> up to (not including) <paramref name="to"/>, the end when not given.
    /// </summary>
    public IEnumerable<(int Start, int Count)> UnitRanges(int rowsPerUnit, int from = 0, int? to = null)
    {
        if (rowsPerUnit <= 0)
        {
            throw new DomainException("Rows per unit must be above zero.");
        }

        var end = to ?? RowCount;
        for (var start = from; start < end; start += rowsPerUnit)
        {
            yield return (start, Math.Min(rowsPerUnit, end - start));
        }
    }

    /// <summary>
    /// Creates the units, one per range of <see cref="UnitRanges"/>, with their stored input slices; under
    /// redundancy, each as many times as the policy runs it.
    /// </summary>
    public IReadOnlyList<WorkUnit> Split(int rowsPerUnit, IReadOnlyList<string> inputSha256s)
    {
        EnsureNotSplit();
        _units.AddRange(Cut(0, 0, RowCount, rowsPerUnit, inputSha256s));
        return _units;
    }

    /// <summary>
    /// For a model whose cost is not known yet: one small probe unit of the first <paramref name="probeRows"/> rows,
    /// and the rest <see cref="WorkUnitStatus.Waiting"/>, to be cut by <see cref="CutWaiting"/> once the probe has
    /// measured the cost. A 2,000-row job no longer runs as 500 probe-sized round trips.
    /// </summary>
    public IReadOnlyList<WorkUnit> SplitWithProbe(int probeRows, string probeInputSha256, string restInputSha256)
    {
        EnsureNotSplit();
        if (probeRows <= 0 || probeRows >= RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(probeRows), "A probe leaves rows to wait.");
        }

        _units.AddRange(Cut(0, 0, probeRows, probeRows, [probeInputSha256]));
        _units.Add(new WorkUnit(Id, 1, probeRows, RowCount - probeRows, restInputSha256, status: WorkUnitStatus.Waiting));
        return _units;
    }

    /// <summary>
    /// The units that replace the <paramref name="waiting"/> rows: the same indexes on, so outputs stay in input order,
    /// one per <paramref name="inputSha256s"/> slice of <paramref name="rowsPerUnit"/> rows.
    /// </summary>
    public IReadOnlyList<WorkUnit> CutWaiting(WorkUnit waiting, int rowsPerUnit, IReadOnlyList<string> inputSha256s) =>
        waiting.JobId == Id && waiting.Status == WorkUnitStatus.Waiting
            ? Cut(waiting.Index, waiting.RowStart, RowCount, rowsPerUnit, inputSha256s)
            : throw new InvalidOperationException("Only this job's waiting rows can be cut.");

    private List<WorkUnit> Cut(int firstIndex, int fromRow, int toRow, int rowsPerUnit, IReadOnlyList<string> inputSha256s)
    {
        var ranges = UnitRanges(rowsPerUnit, fromRow, toRow).ToList();
        if (ranges.Count != inputSha256s.Count)
        {
            throw new ArgumentException("One input slice per unit is needed.", nameof(inputSha256s));
        }

        var copies = Verification.Mode == VerificationMode.Redundancy ? Verification.Replicas : 1;
        return ranges.SelectMany((range, offset) => Enumerable.Range(0, copies)
                .Select(replica => new WorkUnit(Id, firstIndex + offset, range.Start, range.Count, inputSha256s[offset], replica)))
            .ToList();
    }

    private void EnsureNotSplit()
    {
        if (_units.Count > 0)
        {
            throw new InvalidOperationException("The job is already split.");
        }
    }

    /// <summary>The first hold, sized from <paramref name="estimatedMicrosPerRow"/> (see <see cref="JobHolds"/>).</summary>
    public void Hold(long amountMinor, long estimatedMicrosPerRow = 0)
    {
        if (amountMinor < 0 || estimatedMicrosPerRow < 0)
        {
            throw new DomainException("A hold cannot be negative.");
        }

        HeldMinor = amountMinor;
        EstimatedMicrosPerRow = estimatedMicrosPerRow;
        HoldReviewBelowMinor = amountMinor / 2;
    }

    /// <summary>Adds to the hold; returns the top-up's number, which its ledger key carries.</summary>
    public int TopUpHold(long amountMinor)
    {
        if (amountMinor <= 0)
        {
            throw new DomainException("A top-up must be above zero.");
        }

        HeldMinor = checked(HeldMinor + amountMinor);
        return ++HoldTopUps;
    }

    public void ReviewHoldBelow(long fundsLeftMinor) => HoldReviewBelowMinor = Math.Max(0, fundsLeftMinor);

    public void MarkRunning()
    {
        if (Status == JobStatus.Queued)
        {
            Status = JobStatus.Running;
        }
    }

    public void MarkAssembling() => Status = JobStatus.Assembling;

    public void Complete(string outputSha256, string outputFileName, DateTimeOffset now)
    {
        OutputSha256 = outputSha256;
        OutputFileName = outputFileName;
        Status = JobStatus.Completed;
        CompletedAt = now;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        foreach (var unit in _units)
        {
            unit.Withdraw("the job failed");
        }

        FailureReason = reason;
        Status = JobStatus.Failed;
        CompletedAt = now;
    }

    public bool IsFinished => Status.IsFinished();

    /// <summary>The most a pause reason may hold.</summary>
    public const int PauseReasonLength = 500;

    /// <summary>Whether the job is one whose status a pause or resume may change: it is neither finished nor being assembled.</summary>
    public static bool CanPause(JobStatus status) => status is JobStatus.Queued or JobStatus.Running;

    public void MarkEscrowReleased(DateTimeOffset now) => EscrowReleasedAt = now;

    /// <summary>
    /// The buyer takes results as they come: nothing more of the job is checked on another owner's device. Offered
    /// when its results wait for a check that no online device can run.
    /// </summary>
    public void WaiveChecks()
    {
        if (Status != JobStatus.Running)
        {
            throw new DomainException($"The job is {Status.ToString().ToLowerInvariant()}; only a running job's checks can be waived.");
        }

        Verification = Verification with { Mode = VerificationMode.None, Replicas = 1 };
    }

    /// <summary>
    /// Stops the job: units not yet started are withdrawn; units running now may still finish (and are paid).
    /// What the job held and did not spend goes back to the buyer at the next settlement.
    /// </summary>
    public void Cancel(DateTimeOffset now)
    {
        if (IsFinished || Status == JobStatus.Assembling)
        {
            throw new DomainException($"The job is {Status.ToString().ToLowerInvariant()}; only a queued, running or paused job can be cancelled.");
        }

        foreach (var unit in _units)
        {
            unit.Withdraw("the buyer cancelled the job");
        }

        Status = JobStatus.Cancelled;
        PauseReason = null;
        CompletedAt = now;
    }
}
