using FleetMarket.Domain;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Verification;
using FleetMarket.Web.Marketplace;
using FleetMarket.Web.Telemetry;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>A device's result: its outputs in the request (<paramref name="OutputsNpz"/>), or uploaded directly and declared (<paramref name="Uploaded"/>).</summary>
public sealed record UnitResult(byte[]? OutputsNpz, long ComputeMilliseconds, long InferenceCount, UploadedOutputs? Uploaded = null);

/// <summary>
/// Takes a device's result for a lease: checks its form, stores the outputs and has the verifier judge the
/// unit, once. Completing the same lease again answers the same and records nothing more.
/// </summary>
public sealed class CompletionService(FleetDbContext db, IBlobStore blobs, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace, IBackgroundJobClient backgroundJobs, ResultVerifier verifier,
    AssemblyKick assembly, WaitingRowsCutter cutter, MarketplaceMetrics metrics, ILogger<CompletionService> logger)
{
    /// <summary>Two results of one index decided at once: the loser decides again on what the winner saved.</summary>
    private const int DecisionAttempts = 5;

    /// <summary>The answer to a result of a lease whose unit was decided already: taken once, recorded once.</summary>
    private static readonly CompletionResponse AlreadyCompleted = new(true, "Already completed.");

    public async Task<CompletionResponse> CompleteAsync(AuthenticatedDevice device, Guid leaseId, UnitResult result,
        CancellationToken cancellationToken = default)
    {
        CompletionResponse answer;
        try
        {
            var taken = await TakeAsync(device, leaseId, result, cancellationToken);
            answer = taken.Answer ?? await DecideAloneAsync(taken, cancellationToken);
        }
        catch (DomainException)
        {
            metrics.Completed(Outcomes.Refused);
            throw;
        }

        metrics.Completed(OutcomeOf(answer.Accepted, answer.Reason, refused: false));
        return answer;
    }

    /// <summary>What became of a result, as <see cref="MarketplaceMetrics.Completed"/> counts it.</summary>
    private static string OutcomeOf(bool accepted, string? reason, bool refused) =>
        refused ? Outcomes.Refused
        : !accepted ? Outcomes.Expired
        : reason == AlreadyCompleted.Reason ? Outcomes.Duplicate
        : Outcomes.Taken;

    private static class Outcomes
    {
        public const string Taken = "taken";
        public const string Expired = "expired";
        public const string Refused = "refused";
        public const string Duplicate = "duplicate";
    }

    /// <summary>Decides one taken result in a transaction of its own, deciding again on what another writer saved first.</summary>
    private async Task<CompletionResponse> DecideAloneAsync(TakenResult taken, CancellationToken cancellationToken)
    {
        var unit = taken.Unit!;
        var rejected = 0;
        // A conflict: another result of the index was decided first, the lease ran out and the unit was leased again,
        // another unit of the job and owner was metered at the same moment, or a concurrent completion of this very
        // lease won (the unique usage record per unit is its). The next attempt looks again at what is saved.
        var answer = await ConflictRetry.RunAsync(DecisionAttempts, ConflictRetry.Saving, db.ChangeTracker, async attempt =>
        {
            if (attempt > 1)
            {
                if (await ReloadUndecidedAsync(unit.Id, cancellationToken) is not { } reloaded)
                {
                    return AlreadyCompleted;
                }

                unit = reloaded;
            }

            // The decision reads what it writes (the index's other results, the job and owner's metering): under
            // SQLite's gate it reads and writes with no other writer between, so results of one job and owner
            // accepted at once no longer retry each other into failure.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            (var refused, rejected) = await DecideAsync(taken with { Unit = unit }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return refused;
        });
        metrics.Rejected(rejected);
        if (answer is not null)
        {
            return answer;
        }

        await FollowUpAsync(taken.Job!, probeCompleted: unit.Index == 0, cancellationToken);
        return new CompletionResponse(true);
    }

    /// <summary>The unit as saved, unless a result of it was taken already.</summary>
    private async Task<WorkUnit?> ReloadUndecidedAsync(Guid unitId, CancellationToken cancellationToken) =>
        await db.WorkUnits.SingleAsync(u => u.Id == unitId, cancellationToken) is { Status: WorkUnitStatus.Queued or WorkUnitStatus.Leased } unit
            ? unit
            : null;

    /// <summary>
    /// Several results in one request, each judged on its own and in order, as if completed one by one: a refused
    /// result (outputs of the wrong form) refuses that one only and changes nothing of it. A lease that is not the
    /// device's refuses the whole batch first, as it would a single completion. The batch is decided in one pass
    /// through the write gate and one transaction; should another writer have changed one of its units meanwhile,
    /// that is undone and the results are decided one by one.
    /// </summary>
    public async Task<IReadOnlyList<LeaseCompletionResponse>> CompleteManyAsync(AuthenticatedDevice device,
        IReadOnlyList<(Guid LeaseId, UnitResult Result)> results, CancellationToken cancellationToken = default)
    {
        var leaseIds = results.Select(r => (Guid?)r.LeaseId).ToList();
        var known = await db.WorkUnits.Where(u => leaseIds.Contains(u.LeaseId) && u.DeviceId == device.DeviceId)
            .Select(u => u.LeaseId!.Value).ToListAsync(cancellationToken);
        var foreign = results.Select(r => r.LeaseId).Except(known).ToList();
        if (foreign.Count > 0)
        {
            throw new NotFoundException($"No such lease for this device: {string.Join(", ", foreign)}. Nothing in the batch was taken.");
        }

        var answers = new LeaseCompletionResponse?[results.Count];
        var takenResults = new List<(int Position, TakenResult Taken)>(results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var (leaseId, result) = results[i];
            try
            {
                var taken = await TakeAsync(device, leaseId, result, cancellationToken);
                if (taken.Answer is { } early)
                {
                    answers[i] = new LeaseCompletionResponse(leaseId, early.Accepted, early.Reason);
                }
                else
                {
                    takenResults.Add((i, taken));
                }
            }
            catch (DomainException refused)
            {
                answers[i] = new LeaseCompletionResponse(leaseId, false, refused.Message, Refused: true);
            }
        }

        if (!await TryDecideTogetherAsync(takenResults, answers, cancellationToken))
        {
            // The outputs were checked and stored already; each result is decided again on its unit as saved.
            foreach (var (position, taken) in takenResults)
            {
                var answer = await ReloadUndecidedAsync(taken.Unit!.Id, cancellationToken) is { } unit
                    ? await DecideAloneAsync(taken with { Unit = unit }, cancellationToken)
                    : AlreadyCompleted;
                answers[position] = new LeaseCompletionResponse(taken.LeaseId, answer.Accepted, answer.Reason);
                db.ChangeTracker.Clear();
            }

            return Counted(answers);
        }

        foreach (var job in takenResults.Where(t => answers[t.Position]!.Accepted).GroupBy(t => t.Taken.Job!.Id))
        {
            await FollowUpAsync(job.First().Taken.Job!, probeCompleted: job.Any(t => t.Taken.Unit!.Index == 0), cancellationToken);
        }

        return Counted(answers);
    }

    private List<LeaseCompletionResponse> Counted(LeaseCompletionResponse?[] answers)
    {
        foreach (var outcome in answers.GroupBy(a => OutcomeOf(a!.Accepted, a.Reason, a.Refused)))
        {
            metrics.Completed(outcome.Key, outcome.Count());
        }

        return answers.Select(a => a!).ToList();
    }

    /// <summary>Decides every taken result in one transaction; false, with nothing changed, when another writer got between.</summary>
    private async Task<bool> TryDecideTogetherAsync(List<(int Position, TakenResult Taken)> takenResults, LeaseCompletionResponse?[] answers,
        CancellationToken cancellationToken)
    {
        if (takenResults.Count == 0)
        {
            return true;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var rejected = 0;
            foreach (var (position, taken) in takenResults)
            {
                var (refused, found) = await DecideAsync(taken, cancellationToken);
                rejected += found;
                answers[position] = new LeaseCompletionResponse(taken.LeaseId, refused?.Accepted ?? true, refused?.Reason);
            }

            await transaction.CommitAsync(cancellationToken);
            metrics.Rejected(rejected);
            return true;
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>A result read and stored, ready to be decided; or the answer it gets without a decision.</summary>
    private sealed record TakenResult(Guid LeaseId, UnitResult Result, InferenceJob? Job, WorkUnit? Unit, string? OutputSha256,
        CompletionResponse? Answer);

    /// <summary>Finds the lease's unit, checks the outputs' form and stores them: everything a decision needs, outside the gate.</summary>
    private async Task<TakenResult> TakeAsync(AuthenticatedDevice device, Guid leaseId, UnitResult result, CancellationToken cancellationToken)
    {
        var deviceId = device.DeviceId;
        var unit = await db.WorkUnits.SingleOrDefaultAsync(u => u.LeaseId == leaseId && u.DeviceId == deviceId, cancellationToken)
                   ?? throw new NotFoundException("No such lease for this device.");
        if (unit.Status is not (WorkUnitStatus.Queued or WorkUnitStatus.Leased))
        {
            return new TakenResult(leaseId, result, null, null, null, AlreadyCompleted);
        }

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == unit.JobId, cancellationToken);

        // A job of one row, as every job of a model with no batched input is, has nothing to join: its
        // outputs may be of any shape (a scalar, a fixed-size batch).
        var expectedRows = job.RowCount == 1 ? null : (int?)unit.RowCount;
        string outputSha;
        if (result.Uploaded is { } uploaded)
        {
            var (direct, staged) = await ReadUploadAsync(leaseId, uploaded, cancellationToken);
            CheckOutputs(staged.Content!, expectedRows, marketplace.Value.MaxOutputBytes);
            await direct.KeepAsync(staged, uploaded.Sha256, cancellationToken);
            outputSha = uploaded.Sha256;
        }
        else
        {
            var outputs = result.OutputsNpz ?? throw new DomainException("The result carries no outputs.");
            CheckOutputs(outputs, expectedRows, marketplace.Value.MaxOutputBytes);
            outputSha = await blobs.PutAsync(outputs, cancellationToken);
        }

        return new TakenResult(leaseId, result, job, unit, outputSha, null);
    }

    /// <summary>
    /// The outputs the device uploaded for the lease, read back from the store: taken no further unless they are within
    /// the limit and exactly the size and SHA-256 declared. A refused upload is deleted; the lease is unchanged.
    /// </summary>
    private async Task<(IDirectTransfers Direct, StagedUpload Staged)> ReadUploadAsync(Guid leaseId, UploadedOutputs declared,
        CancellationToken cancellationToken)
    {
        if (blobs is not IDirectTransfers direct)
        {
            throw new DomainException("This marketplace hands out no upload URLs: send the outputs in the completion.");
        }

        var name = UploadName.ForLease(leaseId);
        var maxBytes = marketplace.Value.MaxOutputBytes;
        var staged = await direct.ReadUploadAsync(name, maxBytes, cancellationToken)
                     ?? throw new DomainException($"No outputs were uploaded for lease {leaseId}: PUT them to the lease's outputs URL first.");
        // Hashed once, and only what was read: an upload over the limit never is.
        var sha256 = staged.Content is { } content ? ContentHash.Of(content) : null;
        var problem = sha256 is null
            ? $"The uploaded outputs are {staged.Length:N0} bytes; a unit's outputs may be at most {maxBytes:N0} bytes."
            : staged.Length != declared.Bytes || sha256 != declared.Sha256
                ? $"The uploaded outputs are not those declared: {staged.Length:N0} bytes with SHA-256 {sha256}, " +
                  $"not {declared.Bytes:N0} bytes with {declared.Sha256}."
                : null;
        if (problem is not null)
        {
            await direct.DeleteUploadAsync(name, cancellationToken);
            throw new DomainException(problem);
        }

        metrics.ReadBack(staged.Length);
        return (direct, staged);
    }

    /// <summary>
    /// Records the result on its unit and has the verifier judge it, inside the caller's gate and transaction; the
    /// refusal when the lease ran out first, and how many results (this one or others of its index) the check found wrong.
    /// </summary>
    private async Task<(CompletionResponse? Refused, int Rejected)> DecideAsync(TakenResult taken, CancellationToken cancellationToken)
    {
        // Metering comes from an untrusted device: no unit can be billed for longer than a unit may run.
        var maxUnitMilliseconds = (long)marketplace.Value.MaxUnitDuration.TotalMilliseconds;
        var computeMilliseconds = Math.Min(taken.Result.ComputeMilliseconds, maxUnitMilliseconds);
        var now = time.GetUtcNow();
        if (!taken.Unit!.Complete(taken.LeaseId, taken.OutputSha256!, computeMilliseconds, taken.Result.InferenceCount, now))
        {
            return (new CompletionResponse(false, "The lease has expired; the unit went back to the queue."), 0);
        }

        var tally = await verifier.DecideAsync(taken.Job!, taken.Unit, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tally.ApplyAsync(db, cancellationToken);
        return (null, tally.RejectedResults);
    }

    /// <summary>
    /// Rows still waiting for a measured cost are cut now, before the device asks for its next unit; else, once no unit
    /// is left to run or to judge, the outputs are assembled at once. Each has a background task as its durable path,
    /// due a little later so that it does not redo large work still running here. While rows wait, the probe (index 0)
    /// is the job's only unit, so no other completion looks for them. This reads the (JobId, Status) index, not the
    /// finished units.
    /// </summary>
    private async Task FollowUpAsync(InferenceJob job, bool probeCompleted, CancellationToken cancellationToken)
    {
        if (probeCompleted && await db.WorkUnits.AnyAsync(u => u.JobId == job.Id && u.Status == WorkUnitStatus.Waiting, cancellationToken))
        {
            backgroundJobs.Schedule<WaitingRowsCutter>(background => background.CutAsync(job.Id, CancellationToken.None), AssemblyKick.DurableFollowUpDelay);
            try
            {
                await cutter.CutAsync(job.Id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Cutting job {JobId}'s waiting rows at once failed; its background task will retry.", job.Id);
            }
        }
        else if (!await db.WorkUnits.Where(u => u.JobId == job.Id).AnyAsync(WorkUnit.Outstanding, cancellationToken))
        {
            assembly.Assemble(job.Id);
        }
    }

    /// <summary>Each output's rows are judged from its header, before its data is inflated, and all within the output limit.</summary>
    private static void CheckOutputs(byte[] outputsNpz, int? expectedRows, long maxOutputBytes)
    {
        IReadOnlyDictionary<string, NpyArray> outputs;
        try
        {
            outputs = Npz.Read(outputsNpz, new NpyLimits(maxOutputBytes, (name, dtype, shape) =>
            {
                if (expectedRows is { } rows && (shape.Length == 0 || shape[0] != rows))
                {
                    throw new DomainException($"Output '{name}' has shape {dtype} [{string.Join(", ", shape)}]; the unit has {rows} rows.");
                }
            }));
        }
        catch (Exception exception) when (exception is NpyFormatException or InvalidDataException)
        {
            throw new DomainException($"The outputs are not a readable .npz: {exception.Message}");
        }

        if (outputs.Count == 0)
        {
            throw new DomainException("The outputs hold no arrays.");
        }
    }
}
