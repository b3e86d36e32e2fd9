using FleetMarket.Protocol;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Marketplace;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// The direct transfer URLs that go with a lease when blobs are in object storage: read the unit's model and input,
/// write its outputs, nothing else, for <see cref="BlobStorageOptions.TransferUrlLifetime"/>. With the local folder
/// there are none, and the web node relays.
/// </summary>
public sealed class LeaseTransfers(IBlobStore blobs, IOptions<BlobStorageOptions> storage, IOptions<MarketplaceOptions> marketplace)
{
    public bool AreDirect => blobs is IDirectTransfers;

    public BlobTransfer? For(Guid leaseId, string modelSha256, string inputSha256)
    {
        if (blobs is not IDirectTransfers direct)
        {
            return null;
        }

        // The store checks a URL's expiry against its own clock: the real one, whatever the marketplace's says.
        var expiresAt = TimeProvider.System.GetUtcNow() + storage.Value.TransferUrlLifetime;
        return new BlobTransfer(direct.ReadUrl(modelSha256, expiresAt), direct.ReadUrl(inputSha256, expiresAt),
            direct.UploadUrl(UploadName.ForLease(leaseId), expiresAt), expiresAt, marketplace.Value.MaxOutputBytes);
    }

    public WorkUnitLease With(WorkUnitLease lease) =>
        For(lease.LeaseId, lease.ModelSha256, lease.InputSha256) is { } transfer ? lease with { Transfer = transfer } : lease;
}
