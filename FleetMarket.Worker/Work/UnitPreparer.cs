using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// The fetch stage's work on one unit: its model loaded (kept loaded per SHA-256, else from the disk cache, else
/// downloaded once), its input fetched and checked against its SHA-256, then decoded straight into tensors. Blobs come
/// from object storage directly when the lease carries transfer URLs, else through the server.
/// </summary>
public sealed class UnitPreparer(WorkerApiClient api, DirectTransfers direct, OnnxModelRunner runner, ModelFileCache models, TimeProvider time) : IDisposable
{
    /// <summary>The run stage may load again a model that more recent ones pushed out; the disk cache takes one user at a time.</summary>
    private readonly SemaphoreSlim _modelGate = new(1, 1);

    public async Task<PreparedUnit> PrepareAsync(UnitInHand unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var lease = unit.Lease;
        var started = time.GetTimestamp();
        await EnsureModelAsync(lease, cancellationToken);
        var inputNpz = await FetchVerifiedAsync(lease, lease.InputSha256, transfer => transfer.InputUrl, "input", cancellationToken);
        unit.Timings.Fetch = time.GetElapsedTime(started);

        started = time.GetTimestamp();
        var inputs = runner.Decode(lease.ModelSha256, inputNpz);
        unit.Timings.Decode = time.GetElapsedTime(started);
        return new PreparedUnit(unit, inputs);
    }

    public async Task EnsureModelAsync(WorkUnitLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var sha256 = lease.ModelSha256;
        if (runner.IsLoaded(sha256))
        {
            return;
        }

        await _modelGate.WaitAsync(cancellationToken);
        try
        {
            if (!runner.IsLoaded(sha256))
            {
                runner.LoadModel(models.TryRead(sha256) ?? await DownloadModelAsync(lease, cancellationToken));
            }
        }
        finally
        {
            _modelGate.Release();
        }
    }

    public void Dispose() => _modelGate.Dispose();

    private async Task<byte[]> DownloadModelAsync(WorkUnitLease lease, CancellationToken cancellationToken)
    {
        var bytes = await FetchVerifiedAsync(lease, lease.ModelSha256, transfer => transfer.ModelUrl, "model", cancellationToken);
        models.Write(lease.ModelSha256, bytes);
        return bytes;
    }

    /// <summary>Blobs are named by their SHA-256; bytes that do not hash to the name are corrupt or tampered with.</summary>
    private async Task<byte[]> FetchVerifiedAsync(WorkUnitLease lease, string sha256, Func<BlobTransfer, Uri> blob, string what,
        CancellationToken cancellationToken)
    {
        var bytes = lease.Transfer is null
            ? await api.GetBlobAsync(sha256, cancellationToken)
            : await direct.DownloadAsync(lease, blob, cancellationToken);
        return ContentHash.Matches(bytes, sha256)
            ? bytes
            : throw new InvalidDataException($"The {what} blob {sha256} arrived with SHA-256 {ContentHash.Sha256(bytes)}; refusing to use it.");
    }
}
