using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Runs one leased work unit: the model from the disk cache or the server (loaded once per model), the
/// inputs, the run; then keeps the result on disk and uploads it. If the unit cannot be computed, the lease is
/// released so the unit goes to another device now rather than when the lease expires. Once computed, the
/// result is delivered, if not now then later (<see cref="CompletionUploader"/>). The lease is renewed
/// throughout (<see cref="LeaseKeeper"/>).
/// </summary>
public sealed class WorkUnitProcessor(
    WorkerApiClient api,
    OnnxModelRunner runner,
    ModelFileCache models,
    PendingCompletions pending,
    CompletionUploader uploader,
    LeaseKeeper leases,
    WorkerOptions options,
    TimeProvider time,
    ILogger<WorkUnitProcessor> logger)
{
    /// <summary>Releasing happens while shutting down, when the caller's token is already cancelled: bound it separately.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <param name="stoppingToken">A stop leaves the unit <see cref="WorkerOptions.ShutdownGrace"/> to finish before it is abandoned.</param>
    public async Task<CompletionResponse> ProcessAsync(WorkUnitLease lease, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        using var work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var onStop = stoppingToken.Register(() => work.CancelAfter(options.ShutdownGrace));
        await using var renewing = leases.Keep(lease, work);
        PendingCompletion result;
        try
        {
            result = await ComputeAsync(lease, work.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Giving back lease {LeaseId} of work unit {WorkUnitId}: {Problem}", lease.LeaseId, lease.WorkUnitId, e.Message);
            await ReleaseAsync(lease.LeaseId);
            throw;
        }

        Keep(result);
        CompletionResponse completion;
        try
        {
            completion = await uploader.UploadAsync(result, work.Token);
        }
        catch (WorkerApiException e) when (e.IsDefinitive)
        {
            logger.LogWarning("The server refused the result of work unit {WorkUnitId} ({Problem}); giving back lease {LeaseId}.", lease.WorkUnitId, e.Message, lease.LeaseId);
            await ReleaseAsync(lease.LeaseId);
            throw;
        }

        if (completion.Accepted)
        {
            logger.LogInformation("Completed work unit {WorkUnitId} of job {JobId}: {Rows} rows in {Milliseconds} ms.", lease.WorkUnitId, lease.JobId, lease.RowCount, result.ComputeMilliseconds);
        }
        else
        {
            logger.LogWarning("The server did not accept work unit {WorkUnitId}: {Reason}", lease.WorkUnitId, completion.Reason);
        }

        return completion;
    }

    private async Task<PendingCompletion> ComputeAsync(WorkUnitLease lease, CancellationToken cancellationToken)
    {
        if (!runner.IsLoaded(lease.ModelSha256))
        {
            runner.LoadModel(models.TryRead(lease.ModelSha256) ?? await DownloadModelAsync(lease.ModelSha256, cancellationToken));
        }

        // The server stores its input slices, it does not deflate them (Npz.ToBytes), so their arrays can be no
        // larger than the archive: a budget of its own length stops a server, or whoever stands in for it, inflating one.
        var inputNpz = await FetchVerifiedAsync(lease.InputSha256, "input", cancellationToken);
        var inputs = Npz.Read(inputNpz, new NpyLimits(inputNpz.Length));
        var started = time.GetTimestamp();
        var outputs = runner.Run(lease.ModelSha256, inputs, cancellationToken);
        var computeMilliseconds = (long)Math.Ceiling(time.GetElapsedTime(started).TotalMilliseconds);
        return new PendingCompletion(lease.LeaseId, lease.WorkUnitId, computeMilliseconds, lease.RowCount, Npz.ToBytes(outputs));
    }

    private async Task<byte[]> DownloadModelAsync(string sha256, CancellationToken cancellationToken)
    {
        var bytes = await FetchVerifiedAsync(sha256, "model", cancellationToken);
        models.Write(sha256, bytes);
        return bytes;
    }

    /// <summary>Blobs are named by their SHA-256; bytes that do not hash to the name are corrupt or tampered with.</summary>
    private async Task<byte[]> FetchVerifiedAsync(string sha256, string what, CancellationToken cancellationToken)
    {
        var bytes = await api.GetBlobAsync(sha256, cancellationToken);
        return ContentHash.Matches(bytes, sha256)
            ? bytes
            : throw new InvalidDataException($"The {what} blob {sha256} arrived with SHA-256 {ContentHash.Sha256(bytes)}; refusing to use it.");
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
