using FleetMarket.Domain;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Marketplace;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>Where a buyer PUTs one file (a model or inputs) directly, and until when; the submission then names it by <see cref="Id"/>.</summary>
public sealed record DirectUpload(Guid Id, Uri Url, DateTimeOffset ExpiresAt, long MaxBytes, IReadOnlyDictionary<string, string> Headers);

/// <summary>Where a buyer downloads a job's outputs directly, and until when.</summary>
public sealed record OutputsLink(Uri Url, DateTimeOffset ExpiresAt, string FileName, string Sha256);

/// <summary>
/// A buyer's files moved without the web node when blobs are in object storage: upload URLs for a model and inputs,
/// read back and checked like a form's file parts when a job names them, and download URLs for outputs. Each upload
/// lives under the buyer's id, so a buyer can name no one else's.
/// </summary>
public sealed class BuyerUploads(IBlobStore blobs, IOptions<BlobStorageOptions> storage, IOptions<MarketplaceOptions> marketplace)
{
    private const string Relayed =
        "This marketplace keeps files itself and hands out no transfer URLs: send the model and inputs as file parts of POST /api/jobs, " +
        "and download outputs from GET /api/jobs/{id}/outputs.";

    public DirectUpload Create(string buyerId)
    {
        var direct = Direct();
        var id = Guid.NewGuid();
        var expiresAt = ExpiresAt();
        var settings = marketplace.Value;
        return new DirectUpload(id, direct.UploadUrl(UploadName.ForBuyer(buyerId, id), expiresAt), expiresAt,
            Math.Max(settings.MaxModelBytes, settings.MaxInputBytes),
            new Dictionary<string, string> { [Protocol.BlobTransfer.BlobTypeHeader] = Protocol.BlobTransfer.BlockBlob });
    }

    /// <summary>The uploaded file's bytes, at most <paramref name="maxBytes"/>; <paramref name="what"/> names it in a refusal.</summary>
    public async Task<byte[]> ReadAsync(string buyerId, Guid uploadId, long maxBytes, string what, CancellationToken cancellationToken = default)
    {
        var staged = await Direct().ReadUploadAsync(UploadName.ForBuyer(buyerId, uploadId), maxBytes, cancellationToken)
                     ?? throw new NotFoundException($"No {what} was uploaded as {uploadId}: PUT the file to the upload's URL before it expires, then submit.");
        return staged.Content
               ?? throw new DomainException($"The uploaded {what} is {staged.Length:N0} bytes; it may be at most {maxBytes:N0} bytes.");
    }

    /// <summary>Forgets the uploads a submitted job read: the job keeps its own copies.</summary>
    public async Task DeleteAsync(string buyerId, IEnumerable<Guid> uploadIds, CancellationToken cancellationToken = default)
    {
        foreach (var id in uploadIds)
        {
            await Direct().DeleteUploadAsync(UploadName.ForBuyer(buyerId, id), cancellationToken);
        }
    }

    public OutputsLink Link(JobOutputBlob output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var expiresAt = ExpiresAt();
        return new OutputsLink(Direct().ReadUrl(output.Sha256, expiresAt, output.FileName), expiresAt, output.FileName, output.Sha256);
    }

    private IDirectTransfers Direct() => blobs as IDirectTransfers ?? throw new ConflictException(Relayed);

    /// <summary>The store checks a URL's expiry against its own clock: the real one, whatever the marketplace's says.</summary>
    private DateTimeOffset ExpiresAt() => TimeProvider.System.GetUtcNow() + storage.Value.TransferUrlLifetime;
}
