using FleetMarket.Domain.Protocol;
using FleetMarket.Domain.Tensors;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Runs one leased work unit: fetch and verify the model (once per model) and the inputs, run them,
/// upload the outputs. If anything fails, cancellation included, the lease is released so the unit
/// goes to another device now rather than when the lease expires.
/// </summary>
public sealed class WorkUnitProcessor(WorkerApiClient api, OnnxModelRunner runner, TimeProvider time, ILogger<WorkUnitProcessor> logger)
{
    /// <summary>Releasing happens while shutting down, when the caller's token is already cancelled: bound it separately.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    public async Task<CompletionResponse> ProcessAsync(WorkUnitLease lease, CancellationToken cancellationToken)
    {
        try
        {
            var (outputsNpz, computeMilliseconds) = await ComputeAsync(lease, cancellationToken);
            var completion = await api.CompleteAsync(lease.LeaseId, outputsNpz, computeMilliseconds, lease.RowCount, cancellationToken);
            if (completion.Accepted)
            {
                logger.LogInformation("Completed work unit {WorkUnitId} of job {JobId}: {Rows} rows in {Milliseconds} ms.", lease.WorkUnitId, lease.JobId, lease.RowCount, computeMilliseconds);
            }
            else
            {
                logger.LogWarning("The server did not accept work unit {WorkUnitId}: {Reason}", lease.WorkUnitId, completion.Reason);
            }

            return completion;
        }
        catch (Exception e)
        {
            logger.LogWarning("Giving back lease {LeaseId} of work unit {WorkUnitId}: {Problem}", lease.LeaseId, lease.WorkUnitId, e.Message);
            await ReleaseAsync(lease.LeaseId);
            throw;
        }
    }

    private async Task<(byte[] OutputsNpz, long ComputeMilliseconds)> ComputeAsync(WorkUnitLease lease, CancellationToken cancellationToken)
    {
        if (!runner.IsLoaded(lease.ModelSha256))
        {
            runner.LoadModel(await FetchVerifiedAsync(lease.ModelSha256, "model", cancellationToken));
        }

        var inputs = Npz.Read(await FetchVerifiedAsync(lease.InputSha256, "input", cancellationToken));
        var started = time.GetTimestamp();
        var outputs = runner.Run(lease.ModelSha256, inputs, cancellationToken);
        var computeMilliseconds = (long)Math.Ceiling(time.GetElapsedTime(started).TotalMilliseconds);
        return (Npz.ToBytes(outputs), computeMilliseconds);
    }

    /// <summary>Blobs are named by their SHA-256; bytes that do not hash to the name are corrupt or tampered with.</summary>
    private async Task<byte[]> FetchVerifiedAsync(string sha256, string what, CancellationToken cancellationToken)
    {
        var bytes = await api.GetBlobAsync(sha256, cancellationToken);
        return ContentHash.Matches(bytes, sha256)
            ? bytes
            : throw new InvalidDataException($"The {what} blob {sha256} arrived with SHA-256 {ContentHash.Sha256(bytes)}; refusing to use it.");
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
