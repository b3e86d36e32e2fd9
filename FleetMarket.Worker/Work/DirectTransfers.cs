using System.Net;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Moves a unit's bytes straight to and from object storage by the URLs its lease carries (<see cref="BlobTransfer"/>),
/// so the marketplace's web nodes relay none of them. A URL that ran out while the unit waited or ran (the store
/// answers 403) is replaced by renewing the lease, which brings fresh ones, and the transfer is tried once more.
/// </summary>
public sealed class DirectTransfers(StorageClient storage, WorkerApiClient api, ILogger<DirectTransfers> logger)
{
    public Task<byte[]> DownloadAsync(WorkUnitLease lease, Func<BlobTransfer, Uri> blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return WithFreshUrlAsync(lease.LeaseId, blob(lease.Transfer!), blob, url => storage.GetAsync(url, cancellationToken), cancellationToken);
    }

    public Task UploadOutputsAsync(Guid leaseId, Uri outputsUrl, byte[] outputsNpz, CancellationToken cancellationToken) =>
        WithFreshUrlAsync(leaseId, outputsUrl, transfer => transfer.OutputsUrl, async url =>
        {
            await storage.PutAsync(url, outputsNpz, cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> WithFreshUrlAsync<T>(Guid leaseId, Uri url, Func<BlobTransfer, Uri> pick, Func<Uri, Task<T>> transfer,
        CancellationToken cancellationToken)
    {
        try
        {
            return await transfer(url);
        }
        catch (WorkerApiException e) when (e.FromStorage && e.StatusCode == HttpStatusCode.Forbidden)
        {
            logger.LogInformation("Object storage refused a transfer URL of lease {LeaseId} ({Problem}); renewing the lease for fresh ones.", leaseId, e.Message);
            var renewal = await api.RenewAsync(leaseId, cancellationToken);
            return await transfer(pick(renewal.Transfer
                ?? throw new WorkerApiException($"The server renewed lease {leaseId} without transfer URLs.", HttpStatusCode.Conflict)));
        }
    }
}
