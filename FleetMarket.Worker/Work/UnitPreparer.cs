using FleetMarket.Worker.Api;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// The fetch stage's work on one unit: its model loaded (kept loaded per SHA-256, else from the disk cache, else
/// downloaded once), its input fetched and checked against its SHA-256, then decoded straight into tensors.
/// </summary>
public sealed class UnitPreparer(WorkerApiClient api, OnnxModelRunner runner, ModelFileCache models, TimeProvider time) : IDisposable
{
    /// <summary>The run stage may load again a model that more recent ones pushed out; the disk cache takes one user at a time.</summary>
    private readonly SemaphoreSlim _modelGate = new(1, 1);

    public async Task<PreparedUnit> PrepareAsync(UnitInHand unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var lease = unit.Lease;
        var started = time.GetTimestamp();
        await EnsureModelAsync(lease.ModelSha256, cancellationToken);
        var inputNpz = await FetchVerifiedAsync(lease.InputSha256, "input", cancellationToken);
        unit.Timings.Fetch = time.GetElapsedTime(started);

        started = time.GetTimestamp();
        var inputs = runner.Decode(lease.ModelSha256, inputNpz);
        unit.Timings.Decode = time.GetElapsedTime(started);
        return new PreparedUnit(unit, inputs);
    }

    public async Task EnsureModelAsync(string sha256, CancellationToken cancellationToken)
    {
        if (runner.IsLoaded(sha256))
        {
            return;
        }

        await _modelGate.WaitAsync(cancellationToken);
        try
        {
            if (!runner.IsLoaded(sha256))
            {
                runner.LoadModel(models.TryRead(sha256) ?? await DownloadModelAsync(sha256, cancellationToken));
            }
        }
        finally
        {
            _modelGate.Release();
        }
    }

    public void Dispose() => _modelGate.Dispose();

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
}
