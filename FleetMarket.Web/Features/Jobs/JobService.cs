using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Settlement;
using FleetMarket.Domain.Verification;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

public sealed record JobSubmission(string Name, byte[] Model, string InputsFileName, byte[] Inputs,
    int? RowsPerUnit = null, long? MaxPricePerHourMinor = null, JobPriority Priority = JobPriority.Normal, Guid? ReservationId = null,
    VerificationPolicy? Verification = null);

/// <param name="Units">Units of the job, each a slice of its rows.</param>
/// <param name="Queued">Units waiting for their first device; the checks waiting for one are in <paramref name="AwaitingCheck"/>.</param>
/// <param name="Running">Runs leased to a device or whose result waits for a check.</param>
/// <param name="Done">Units with an accepted result.</param>
/// <param name="Checks">Further runs of units on other owners' devices that verification added.</param>
/// <param name="Rejected">Results verification found wrong (not paid).</param>
/// <param name="HeldMinor">What the job holds in escrow: its estimated cost with a margin, and any top-ups since.</param>
/// <param name="SpentMinor">What its accepted work has been charged, in whole minor units.</param>
/// <param name="SpentMicros">What its accepted work cost exactly, in millionths of a minor unit; the charge is this, rounded down per owner.</param>
/// <param name="PauseReason">Why a paused job gets no new units.</param>
/// <param name="AwaitingCheck">Results that wait for a device of another owner to check them.</param>
/// <param name="AwaitingCheckSince">When the longest-waiting of those results came in.</param>
/// <param name="CheckersOnline">Online devices of other owners that could run those checks, at a price the job pays; null when none waits.</param>
/// <param name="RowsDone">Rows of the input with an accepted result.</param>
/// <param name="StartedAt">When a device first took a unit of the job; null while none has.</param>
/// <param name="MayWaiveChecks">
/// The results have waited longer than the marketplace's limit with no such device online: the buyer may accept them
/// unchecked (POST /api/jobs/{id}/accept-unchecked) or cancel.
/// </param>
/// <param name="HoldReturned">Settlement has returned what the finished job held beyond what it spent to the buyer's balance.</param>
public sealed record JobProgress(Guid Id, string Name, JobStatus Status, JobPriority Priority, Guid? ReservationId, int Units, int Queued, int Running, int Done,
    int Failed, int Checks, int Rejected, VerificationMode Verification, int Rows, long HeldMinor, long SpentMinor, long SpentMicros, string Currency,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? FailureReason, string? OutputFileName, string? PauseReason = null,
    int AwaitingCheck = 0, DateTimeOffset? AwaitingCheckSince = null, int? CheckersOnline = null, bool MayWaiveChecks = false,
    int RowsDone = 0, DateTimeOffset? StartedAt = null, bool HoldReturned = false)
{
    public double Percent => Units == 0 ? 0 : 100.0 * Done / Units;

    /// <summary>
    /// Rows accepted per minute since a device first took a unit; null before the first result. Rows, not units: units
    /// are sized by their compute and cut as the job runs, so their number and size change; and not since submission,
    /// which would count the wait for a device as slowness.
    /// </summary>
    public double? RowsPerMinute(DateTimeOffset now) =>
        RowsDone == 0 || StartedAt is not { } started || now <= started ? null : RowsDone / (now - started).TotalMinutes;

    /// <summary>At the pace so far, how long the rows not yet accepted will take; null when unknown, done or paused.</summary>
    public TimeSpan? TimeLeft(DateTimeOffset now) =>
        Status.IsFinished() || Status == JobStatus.Paused || RowsPerMinute(now) is not { } pace ? null : TimeSpan.FromMinutes(Math.Max(0, Rows - RowsDone) / pace);
}

public sealed record JobOutput(string FileName, Stream Content);

/// <summary>A completed job's outputs as stored: the blob's name and the file name a buyer saves them as.</summary>
public sealed record JobOutputBlob(string FileName, string Sha256);

/// <summary>What a job would cost, asked before it is submitted.</summary>
/// <param name="EstimatedMicros">
/// The expected charge in millionths of a minor unit: the model's cost per row (measured, or the first probe's assumption when
/// <paramref name="Measured"/> is false) × rows × the dearest eligible price × the runs its verification pays for. Null on a
/// reservation, which pays from what it holds.
/// </param>
/// <param name="Hold">What the job would hold while it runs (the estimate with a margin); the rest returns at the end.</param>
public sealed record JobQuote(int Rows, long? EstimatedMicros, Domain.Money.Money? Hold, bool Measured, string Currency);

/// <summary>The buyer's side of jobs. Every read is scoped to the calling buyer's own jobs.</summary>
public sealed class JobService(FleetDbContext db, IBlobStore blobs, ModelInspector inspector, LedgerService ledger,
    EscrowHolds holds, UnitSizer sizer, JobEscrow escrow, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    public async Task<Guid> SubmitAsync(string buyerId, JobSubmission submission, CancellationToken cancellationToken = default)
    {
        var settings = marketplace.Value;
        var (job, signature, inputs, reservation, millisecondsPerRow) = await PrepareAsync(buyerId, submission, cancellationToken);
        var now = job.CreatedAt;
        var sized = submission.RowsPerUnit ?? sizer.RowsPerUnit(millisecondsPerRow, job.RowCount,
            rows => signature.OutputBytes(rows) <= settings.MaxOutputBytes);
        var probeRows = sized is null && job.RowCount > settings.DefaultRowsPerUnit ? settings.DefaultRowsPerUnit : (int?)null;
        var rowsPerUnit = sized ?? settings.DefaultRowsPerUnit;
        var ranges = job.UnitRanges(rowsPerUnit).ToList();
        CheckOutputsFit(signature, ranges.Max(r => r.Count), settings.MaxOutputBytes);

        // A reservation's jobs are paid from the reservation's escrow; on-demand jobs hold their own: the estimated
        // cost with a margin, topped up as the job runs if it costs more (JobEscrow).
        if (reservation is null)
        {
            var (holdMinor, microsPerRow) = await escrow.EstimateAsync(job, millisecondsPerRow, cancellationToken);
            job.Hold(holdMinor, microsPerRow);
        }

        var balance = await ledger.BalanceAsync(LedgerAccounts.BuyerBalance(buyerId), job.Currency, cancellationToken);
        if (balance.Minor < job.HeldMinor)
        {
            throw new DomainException(ShortOfFunds(job, balance));
        }

        await blobs.PutAsync(submission.Model, cancellationToken);
        if (probeRows is { } probe)
        {
            var parts = await InputSlices.PutAsync(blobs, inputs, [(0, probe), (probe, job.RowCount - probe)], cancellationToken);
            job.SplitWithProbe(probe, parts[0], parts[1]);
        }
        else
        {
            job.Split(rowsPerUnit, await InputSlices.PutAsync(blobs, inputs, ranges, cancellationToken));
        }

        db.Jobs.Add(job);
        if (reservation is null)
        {
            await holds.SaveWithHoldAsync(buyerId, SettlementEntries.HoldForJob(job, now), new Domain.Money.Money(job.HeldMinor, job.Currency),
                latest => ShortOfFunds(job, latest), cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return job.Id;
    }

    /// <summary>
    /// What a job would cost before it is submitted: the checks and the estimate <see cref="SubmitAsync"/> makes, with
    /// nothing stored. A job on a reservation is paid from what the reservation holds and holds nothing of its own.
    /// </summary>
    public async Task<JobQuote> QuoteAsync(string buyerId, JobSubmission submission, CancellationToken cancellationToken = default)
    {
        var (job, _, _, reservation, millisecondsPerRow) = await PrepareAsync(buyerId, submission, cancellationToken);
        if (reservation is not null)
        {
            return new JobQuote(job.RowCount, null, null, millisecondsPerRow is not null, job.Currency);
        }

        var (holdMinor, microsPerRow) = await escrow.EstimateAsync(job, millisecondsPerRow, cancellationToken);
        return new JobQuote(job.RowCount, microsPerRow * job.RowCount, new Domain.Money.Money(holdMinor, job.Currency), millisecondsPerRow is not null,
            job.Currency);
    }

    private sealed record PreparedJob(InferenceJob Job, ModelSignature Signature, BoundInputs Inputs, Reservation? Reservation, double? MillisecondsPerRow);

    /// <summary>The job a submission describes, its model and inputs checked, and what it costs a row if the model has run here.</summary>
    private async Task<PreparedJob> PrepareAsync(string buyerId, JobSubmission submission, CancellationToken cancellationToken)
    {
        var settings = marketplace.Value;
        if (submission.Model.Length == 0 || submission.Model.Length > settings.MaxModelBytes)
        {
            throw new DomainException($"The model is {Size(submission.Model.Length)}; it must be between 1 byte and {Size(settings.MaxModelBytes)}.");
        }

        if (submission.Inputs.Length == 0 || submission.Inputs.Length > settings.MaxInputBytes)
        {
            throw new DomainException($"The inputs are {Size(submission.Inputs.Length)}; they must be between 1 byte and {Size(settings.MaxInputBytes)}.");
        }

        var signature = inspector.Inspect(submission.Model);
        var inputs = InputBinder.Bind(signature, submission.InputsFileName, submission.Inputs, settings.MaxInputBytes);
        var now = time.GetUtcNow();
        var reservation = submission.ReservationId is { } reservationId ? await LiveReservationAsync(buyerId, reservationId, now, cancellationToken) : null;
        var verification = reservation is null
            ? submission.Verification ?? VerificationPolicy.Adaptive
            : await ReservationVerificationAsync(reservation, submission.Verification, cancellationToken);
        var job = new InferenceJob(buyerId, submission.Name, ContentHash.Of(submission.Model), inputs.Rows,
            reservation?.MaxPricePerHourMinor ?? submission.MaxPricePerHourMinor ?? settings.DefaultMaxPricePerHourMinor, settings.Currency, now,
            submission.Priority, reservation?.Id, verification);
        return new PreparedJob(job, signature, inputs, reservation, await sizer.MillisecondsPerRowAsync(job.ModelSha256, cancellationToken));
    }

    public async Task<IReadOnlyList<JobProgress>> ListAsync(string buyerId, CancellationToken cancellationToken = default)
    {
        var jobs = await Progress(db.Jobs.Where(j => j.BuyerId == buyerId).OrderByDescending(j => j.CreatedAt)).ToListAsync(cancellationToken);
        var withCheckers = new List<JobProgress>(jobs.Count);
        foreach (var job in jobs)
        {
            withCheckers.Add(await WithCheckersAsync(job, cancellationToken));
        }

        return withCheckers;
    }

    public async Task<JobProgress> GetAsync(string buyerId, Guid jobId, CancellationToken cancellationToken = default) =>
        await WithCheckersAsync(await Progress(db.Jobs.Where(j => j.BuyerId == buyerId && j.Id == jobId)).SingleOrDefaultAsync(cancellationToken)
                                ?? throw new NotFoundException("No such job."), cancellationToken);

    /// <summary>
    /// For a job whose results wait for checks: how many devices could run them now (online, of an owner none of whose
    /// devices ran the results, asking at most the job's price), and whether the wait has gone on too long with none.
    /// </summary>
    private async Task<JobProgress> WithCheckersAsync(JobProgress job, CancellationToken cancellationToken)
    {
        if (job.AwaitingCheck == 0 || job.Status != JobStatus.Running)
        {
            return job;
        }

        var now = time.GetUtcNow();
        var seenSince = now - marketplace.Value.OfflineAfter;
        var ran = db.WorkUnits.Where(u => u.JobId == job.Id && u.Status == WorkUnitStatus.Checking).Select(u => u.OwnerId);
        var price = db.Jobs.Where(j => j.Id == job.Id).Select(j => j.MaxPricePerHourMinor);
        var checkers = await db.Devices.CountAsync(d => d.LastSeenAt > seenSince && d.PairingCodeHash == null && d.Status != DeviceStatus.Suspended
                                                        && !ran.Contains(d.OwnerId) && price.Any(p => d.AskingPricePerHourMinor <= p), cancellationToken);
        var tooLong = checkers == 0 && now - job.AwaitingCheckSince >= marketplace.Value.CheckWaitLimit;
        return job with { CheckersOnline = checkers, MayWaiveChecks = tooLong };
    }

    public async Task CancelAsync(string buyerId, Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await db.Jobs.Include(j => j.Units).SingleOrDefaultAsync(j => j.BuyerId == buyerId && j.Id == jobId, cancellationToken)
                  ?? throw new NotFoundException("No such job.");
        job.Cancel(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<JobOutput> OpenOutputAsync(string buyerId, Guid jobId, CancellationToken cancellationToken = default)
    {
        var output = await OutputAsync(buyerId, jobId, cancellationToken);
        var content = await blobs.OpenReadAsync(output.Sha256, cancellationToken) ?? throw new NotFoundException("The outputs are missing.");
        return new JobOutput(output.FileName, content.Content);
    }

    /// <summary>The buyer's completed job's outputs; a job that is not complete has none yet.</summary>
    public async Task<JobOutputBlob> OutputAsync(string buyerId, Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.BuyerId == buyerId && j.Id == jobId, cancellationToken)
                  ?? throw new NotFoundException("No such job.");
        if (job.Status != JobStatus.Completed || job.OutputSha256 is null)
        {
            throw new ConflictException($"The job is not complete (it is {job.Status.ToString().ToLowerInvariant()}); its outputs can be downloaded once its status is Completed.");
        }

        return new JobOutputBlob(job.OutputFileName!, job.OutputSha256);
    }

    private async Task<Reservation> LiveReservationAsync(string buyerId, Guid reservationId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var reservation = await db.Reservations.AsNoTracking().SingleOrDefaultAsync(r => r.BuyerId == buyerId && r.Id == reservationId, cancellationToken)
                          ?? throw new NotFoundException("No such reservation.");
        return reservation.IsLiveAt(now)
            ? reservation
            : throw new DomainException($"The reservation is {reservation.StateAt(now).ToString().ToLowerInvariant()}; jobs can run on it only while it is upcoming or active.");
    }

    /// <summary>
    /// A reservation's jobs run only on its devices, so they can be cross-checked only when those belong to enough
    /// owners. Unless the buyer asked for a policy, one that the reservation can carry out is chosen.
    /// </summary>
    private async Task<VerificationPolicy> ReservationVerificationAsync(Reservation reservation, VerificationPolicy? requested,
        CancellationToken cancellationToken)
    {
        var owners = await db.ReservedSlots.Where(s => s.ReservationId == reservation.Id)
            .Join(db.Devices, s => s.DeviceId, d => d.Id, (s, d) => d.OwnerId)
            .Distinct()
            .CountAsync(cancellationToken);
        if (requested is null)
        {
            return owners >= VerificationPolicy.Adaptive.OwnersNeeded ? VerificationPolicy.Adaptive : VerificationPolicy.Unchecked;
        }

        return owners >= requested.OwnersNeeded
            ? requested
            : throw new DomainException($"This reservation's devices belong to {owners} owner(s); {requested.Mode.ToString().ToLowerInvariant()} "
                                        + $"verification needs devices of {requested.OwnersNeeded} owners. Reserve more devices or choose no verification.");
    }

    /// <summary>A device can upload no more than the output limit: a unit whose outputs are larger could never finish.</summary>
    private static void CheckOutputsFit(ModelSignature signature, int unitRows, long maxOutputBytes)
    {
        var bytes = signature.OutputBytes(unitRows);
        if (bytes > maxOutputBytes)
        {
            throw new DomainException(
                $"A work unit of {unitRows:N0} rows would return at least {Size(bytes)} of outputs ({string.Join("; ", signature.Outputs)}); "
                + $"a device may return at most {Size(maxOutputBytes)}. "
                + (unitRows > 1 ? "Choose fewer rows per unit." : "This model's outputs are too large for the marketplace."));
        }
    }

    /// <summary>Whole mebibytes as such (the configured limits usually are), anything else in bytes: a limit of 0 MiB helps nobody.</summary>
    private static string Size(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024):N0} MiB" : $"{bytes:N0} bytes";

    private static string ShortOfFunds(InferenceJob job, Domain.Money.Money balance) =>
        $"This job needs {new Domain.Money.Money(job.HeldMinor, job.Currency)} held in escrow (its estimated cost with a margin); "
        + $"the balance is {balance}. Top up first.";

    private IQueryable<JobProgress> Progress(IQueryable<InferenceJob> jobs) =>
        jobs.Select(j => new JobProgress(j.Id, j.Name, j.Status, j.Priority, j.ReservationId,
            j.Units.Count(u => u.Replica == 0),
            j.Units.Count(u => u.Replica == 0 && u.Status == WorkUnitStatus.Queued),
            j.Units.Count(u => u.Status == WorkUnitStatus.Leased || u.Status == WorkUnitStatus.Checking),
            j.Units.Where(u => u.Status == WorkUnitStatus.Done).Select(u => u.Index).Distinct().Count(),
            j.Units.Count(u => u.Status == WorkUnitStatus.Failed),
            j.Units.Count(u => u.Replica > 0 && u.Status != WorkUnitStatus.Dropped),
            j.Units.Count(u => u.Status == WorkUnitStatus.Rejected),
            j.Verification.Mode,
            j.RowCount, j.HeldMinor,
            db.UsageRecords.Where(u => u.JobId == j.Id).Sum(u => u.ChargeMinor),
            db.Meterings.Where(m => m.JobId == j.Id).Sum(m => m.ChargeMicros),
            j.Currency, j.CreatedAt, j.CompletedAt, j.FailureReason, j.OutputFileName, j.PauseReason,
            j.Units.Count(u => u.Replica > 0 && u.Status == WorkUnitStatus.Queued),
            j.Units.Where(u => u.Status == WorkUnitStatus.Checking).Min(u => u.CompletedAt),

            // Who could check and whether checks may be waived are worked out after the query.
            null, false,
            j.Units.Where(u => u.Replica == 0 && j.Units.Any(d => d.Index == u.Index && d.Status == WorkUnitStatus.Done)).Sum(u => u.RowCount),
            j.Units.Min(u => u.LeasedAt),
            j.EscrowReleasedAt != null));
}
