using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Blobs;

/// <summary>
/// Blobs in one Azure Blob Storage container: content under <c>blobs/{sha256}</c>, untrusted uploads under
/// <c>uploads/…</c> until checked. Transfer URLs are service SAS URLs signed with the account key, each for one blob.
/// </summary>
public sealed class AzureBlobStore : IBlobStore, IDirectTransfers
{
    /// <summary>The largest blob Copy Blob From URL copies in one call; a larger one is copied by an asynchronous copy.</summary>
    private const long MaxSyncCopyBytes = 256L * 1024 * 1024;

    private const string BlobsPrefix = "blobs/";
    private const string UploadsPrefix = "uploads/";

    private readonly BlobContainerClient _container;
    private readonly Uri? _publicEndpoint;

    public AzureBlobStore(IOptions<BlobStorageOptions> options)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException("BlobStorage:ConnectionString is required when BlobStorage:Kind is AzureBlob.");
        }

        _container = new BlobServiceClient(settings.ConnectionString).GetBlobContainerClient(settings.Container);
        if (!_container.CanGenerateSasUri)
        {
            throw new InvalidOperationException("BlobStorage:ConnectionString must carry the account key (AccountKey=…): it signs the transfer URLs.");
        }

        _publicEndpoint = settings.PublicEndpoint;
    }

    /// <summary>Creates the container when it is missing; run once at start, so a wrong connection string fails there.</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken) =>
        _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var sha256 = ContentHash.Of(content.Span);
        try
        {
            // Content-addressed: a blob of that name holds these bytes already, and is never overwritten.
            await Blob(sha256).UploadAsync(BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 412)
        {
        }

        return sha256;
    }

    public async Task<OpenBlob?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        try
        {
            var download = (await Blob(sha256).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            return new OpenBlob(download.Content, download.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default) =>
        (await Blob(sha256).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();

    public Uri ReadUrl(string sha256, DateTimeOffset expiresAt, string? downloadFileName = null) =>
        Signed(Blob(sha256), BlobSasPermissions.Read, expiresAt, downloadFileName: downloadFileName);

    public Uri UploadUrl(UploadName upload, DateTimeOffset expiresAt) =>
        Signed(Upload(upload), BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt);

    public async Task<StagedUpload?> ReadUploadAsync(UploadName upload, long maxBytes, CancellationToken cancellationToken = default)
    {
        BlobDownloadStreamingResult download;
        try
        {
            download = (await Upload(upload).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        await using var content = download.Content;
        var length = download.Details.ContentLength;
        var version = download.Details.ETag.ToString();
        if (length > maxBytes)
        {
            return new StagedUpload(upload, length, version, null);
        }

        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken);
        return new StagedUpload(upload, length, version, bytes);
    }

    public async Task KeepAsync(StagedUpload upload, string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var source = Upload(upload.Name);
        var target = Blob(sha256);
        var from = Signed(source, BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5), publicEndpoint: false);
        // The copy takes the upload only as it was read (bytes written since were never checked), and never replaces a
        // kept blob: content-addressed, one of that name holds these bytes already.
        var onlyAsRead = new BlobRequestConditions { IfMatch = new ETag(upload.Version) };
        var notKept = new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            if (upload.Length <= MaxSyncCopyBytes)
            {
                await target.SyncCopyFromUriAsync(from, new BlobCopyFromUriOptions { SourceConditions = onlyAsRead, DestinationConditions = notKept },
                    cancellationToken);
            }
            else
            {
                var copy = await target.StartCopyFromUriAsync(from,
                    new BlobCopyFromUriOptions { SourceConditions = onlyAsRead, DestinationConditions = notKept }, cancellationToken);
                await copy.WaitForCompletionAsync(cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new UploadChangedException(upload.Name);
        }

        await source.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public Task DeleteUploadAsync(UploadName upload, CancellationToken cancellationToken = default) =>
        Upload(upload).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public async Task<int> DeleteUploadsUntouchedSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        await foreach (var upload in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, UploadsPrefix, cancellationToken))
        {
            if (upload.Properties.LastModified < cutoff)
            {
                await _container.DeleteBlobIfExistsAsync(upload.Name, cancellationToken: cancellationToken);
                deleted++;
            }
        }

        return deleted;
    }

    private BlobClient Blob(string sha256) => _container.GetBlobClient(BlobsPrefix + ContentHash.CheckName(sha256));

    private BlobClient Upload(UploadName upload) => _container.GetBlobClient(UploadsPrefix + upload.Path);

    /// <summary>A service SAS for one blob, with the given rights, until <paramref name="expiresAt"/>, at the endpoint its user reaches.</summary>
    private Uri Signed(BlobClient blob, BlobSasPermissions permissions, DateTimeOffset expiresAt, bool publicEndpoint = true,
        string? downloadFileName = null)
    {
        var sas = blob.GenerateSasUri(new BlobSasBuilder(permissions, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
            ContentDisposition = downloadFileName is null ? null : new System.Net.Mime.ContentDisposition { FileName = downloadFileName }.ToString(),
        });
        if (!publicEndpoint || _publicEndpoint is null)
        {
            return sas;
        }

        // The path under the service (container, blob, and with Azurite the account) stays; the service's address changes.
        var service = new BlobUriBuilder(blob.Uri) { BlobContainerName = "", BlobName = "", Sas = null }.ToUri().AbsoluteUri.TrimEnd('/');
        return new Uri(_publicEndpoint.AbsoluteUri.TrimEnd('/') + sas.AbsoluteUri[service.Length..]);
    }
}
