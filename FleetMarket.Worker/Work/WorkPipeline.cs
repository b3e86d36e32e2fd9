using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Telemetry;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Runs leased units through three stages joined by bounded channels, so that while one unit runs, the next one's
/// model and input are fetched and decoded and the previous one's result is kept on disk and uploaded:
/// fetch (<see cref="UnitPreparer"/>) → run (one unit at a time through ONNX Runtime) → upload
/// (<see cref="CompletionUploader"/>, several results in one request when several wait). A unit that cannot be done
/// (a bad input, a lost lease, a stop past its grace) is given back at once and the others go on; the first such
/// failure is thrown once every unit in hand is finished with. One cycle drives it at a time.
/// </summary>
public sealed class WorkPipeline(
    UnitPreparer preparer,
    OnnxModelRunner runner,
    CompletionUploader uploader,
    PendingCompletions pending,
    WorkerApiClient api,
    LeaseKeeper keeper,
    WorkerOptions options,
    TimeProvider time,
    WorkerMetrics metrics,
    ILogger<WorkPipeline> logger)
{
    /// <summary>Results waiting to upload before the run stage waits: they are on disk already, so this bounds memory, not safety.</summary>
    private const int UploadQueue = 8;

    /// <summary>Releasing happens while shutting down, when the caller's token is already cancelled: bound it separately.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs every unit of <paramref name="batches"/>, which the fetch stage stops drawing on after a failure.</summary>
    /// <param name="stoppingToken">A stop leaves the units in hand <see cref="WorkerOptions.ShutdownGrace"/> to finish before they are given back.</param>
    public async Task RunAsync(IAsyncEnumerable<IReadOnlyList<WorkUnitLease>> batches, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var failures = new ConcurrentQueue<ExceptionDispatchInfo>();
        var ready = Channel.CreateBounded<PreparedUnit>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var done = Channel.CreateBounded<FinishedUnit>(new BoundedChannelOptions(UploadQueue) { SingleReader = true, SingleWriter = true });
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var onStop = stoppingToken.Register(() => grace.CancelAfter(options.ShutdownGrace));

        // Each stage on its own thread-pool thread: the run stage blocks its thread for as long as ONNX Runtime runs.
        await Task.WhenAll(
            Task.Run(() => FetchAsync(batches, ready.Writer, failures, stoppingToken), CancellationToken.None),
            Task.Run(() => RunUnitsAsync(ready.Reader, done.Writer, failures), CancellationToken.None),
            Task.Run(() => UploadAsync(done.Reader, failures, grace.Token), CancellationToken.None));
        if (failures.TryPeek(out var first))
        {
            first.Throw();
        }
    }

    private async Task FetchAsync(IAsyncEnumerable<IReadOnlyList<WorkUnitLease>> batches, ChannelWriter<PreparedUnit> ready,
        ConcurrentQueue<ExceptionDispatchInfo> failures, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in batches)
            {
                // Every lease of the batch is renewed from now on, while the units before it are fetched.
                var units = batch.Select(lease => new UnitInHand(lease, keeper, options.ShutdownGrace, time, stoppingToken)).ToList();
                foreach (var unit in units)
                {
                    try
                    {
                        await ready.WriteAsync(await preparer.PrepareAsync(unit, unit.Token), CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        await GiveBackAsync(unit, e, failures);
                    }
                }

                if (!failures.IsEmpty)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failures.Enqueue(ExceptionDispatchInfo.Capture(e));
        }
        finally
        {
            ready.Complete();
        }
    }

    private async Task RunUnitsAsync(ChannelReader<PreparedUnit> ready, ChannelWriter<FinishedUnit> done, ConcurrentQueue<ExceptionDispatchInfo> failures)
    {
        try
        {
            await foreach (var (unit, inputs) in ready.ReadAllAsync())
            {
                PendingCompletion result;
                try
                {
                    using (inputs)
                    {
                        await preparer.EnsureModelAsync(unit.Lease, unit.Token);
                        using var span = WorkerMetrics.Source.StartActivity("inference");
                        span?.SetTag("fleetmarket.job.id", unit.Lease.JobId);
                        span?.SetTag("fleetmarket.work_unit.id", unit.Lease.WorkUnitId);
                        span?.SetTag("fleetmarket.rows", unit.Lease.RowCount);
                        var started = time.GetTimestamp();
                        var outputsNpz = runner.RunToNpz(inputs, unit.Token);
                        unit.Timings.Run = time.GetElapsedTime(started);
                        metrics.Ran(unit.Timings.Run, unit.Lease.RowCount);
                        var computeMilliseconds = (long)Math.Ceiling(unit.Timings.Run.TotalMilliseconds);
                        result = new PendingCompletion(unit.Lease.LeaseId, unit.Lease.WorkUnitId, computeMilliseconds, unit.Lease.RowCount, outputsNpz,
                            unit.Lease.Transfer?.OutputsUrl);
                    }
                }
                catch (Exception e)
                {
                    await GiveBackAsync(unit, e, failures);
                    continue;
                }

                await done.WriteAsync(new FinishedUnit(unit, result), CancellationToken.None);
            }
        }
        finally
        {
            done.Complete();
        }
    }

    /// <summary>
    /// Takes every result waiting (up to a batch's bytes), keeps each on disk, then sends them. After an upload fails
    /// other than by a refusal, later results stay on disk for the next cycle rather than each failing in turn.
    /// </summary>
    private async Task UploadAsync(ChannelReader<FinishedUnit> done, ConcurrentQueue<ExceptionDispatchInfo> failures, CancellationToken grace)
    {
        var failed = false;
        while (await done.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<FinishedUnit>();
            long bytes = 0;
            while (done.TryPeek(out var next) && CompletionUploader.Fits(batch.Count, bytes, next.Result.OutputsNpz.LongLength) && done.TryRead(out next))
            {
                Keep(next.Result);
                batch.Add(next);
                bytes += next.Result.OutputsNpz.LongLength;
            }

            var started = time.GetTimestamp();
            try
            {
                if (!failed)
                {
                    // One result goes with its own unit's token, so a lost lease stops its upload; a batch goes with the stop's.
                    var outcomes = await uploader.UploadManyAsync([.. batch.Select(unit => unit.Result)], batch is [var one] ? one.Unit.Token : grace);
                    metrics.Uploaded(time.GetElapsedTime(started));
                    await ReportAsync(batch, outcomes, time.GetElapsedTime(started), failures);
                }
            }
            catch (Exception e)
            {
                failed = true;
                logger.LogWarning("Could not upload {Count} result(s) ({Problem}); they are kept and go out again later.", batch.Count, e.Message);
                failures.Enqueue(ExceptionDispatchInfo.Capture(e));
            }
            finally
            {
                foreach (var (unit, _) in batch)
                {
                    await unit.DisposeAsync();
                }
            }
        }
    }

    private async Task ReportAsync(List<FinishedUnit> batch, IReadOnlyList<CompletionOutcome> outcomes, TimeSpan upload,
        ConcurrentQueue<ExceptionDispatchInfo> failures)
    {
        foreach (var outcome in outcomes)
        {
            if (batch.Find(finished => finished.Unit.Lease.LeaseId == outcome.LeaseId)?.Unit is not { } unit)
            {
                continue;
            }

            unit.Timings.Upload = upload;
            var lease = unit.Lease;
            metrics.Finished(outcome.Refusal is not null ? WorkerMetrics.Refused : outcome.Accepted ? WorkerMetrics.Accepted : WorkerMetrics.NotAccepted);
            if (outcome.Refusal is { } refusal)
            {
                logger.LogWarning("The server refused the result of work unit {WorkUnitId} ({Problem}); giving back lease {LeaseId}.", lease.WorkUnitId, outcome.Reason, lease.LeaseId);
                await ReleaseAsync(lease.LeaseId);
                failures.Enqueue(ExceptionDispatchInfo.Capture(refusal));
            }
            else if (outcome.Accepted)
            {
                logger.LogInformation("Completed work unit {WorkUnitId} of job {JobId}: {Rows} rows; {Timings}.", lease.WorkUnitId, lease.JobId, lease.RowCount, unit.Timings);
            }
            else
            {
                logger.LogWarning("The server did not accept work unit {WorkUnitId}: {Reason}", lease.WorkUnitId, outcome.Reason);
            }
        }
    }

    /// <summary>On disk before the upload starts, so that a crash or a failed upload does not lose the unit.</summary>
    private void Keep(PendingCompletion result)
    {
        try
        {
            pending.Save(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot keep the result of lease {LeaseId} on disk ({Problem}); uploading it all the same.", result.LeaseId, e.Message);
        }
    }

    /// <summary>The unit cannot be done here: another device gets it now rather than when its lease runs out.</summary>
    private async Task GiveBackAsync(UnitInHand unit, Exception problem, ConcurrentQueue<ExceptionDispatchInfo> failures)
    {
        failures.Enqueue(ExceptionDispatchInfo.Capture(problem));
        metrics.Finished(WorkerMetrics.GivenBack);
        logger.LogWarning("Giving back lease {LeaseId} of work unit {WorkUnitId}: {Problem}", unit.Lease.LeaseId, unit.Lease.WorkUnitId, problem.Message);
        await ReleaseAsync(unit.Lease.LeaseId);
        await unit.DisposeAsync();
    }

    private async Task ReleaseAsync(Guid leaseId)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout, time);
        try
        {
            await api.ReleaseAsync(leaseId, timeout.Token);
        }
        catch (Exception e) when (e is WorkerApiException or OperationCanceledException)
        {
            // Best effort: a lease that is not released expires on the server and its unit is queued again.
            logger.LogWarning("Could not release lease {LeaseId} ({Problem}); it will expire on the server.", leaseId, e.Message);
        }
    }
}
