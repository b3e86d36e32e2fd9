using Hangfire;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Blobs;

/// <summary>
/// Uploads nobody took would stay in object storage for good: files a buyer uploaded and never submitted, outputs that
/// were refused or whose lease ran out before the completion. This deletes those untouched for
/// <see cref="BlobStorageOptions.UploadRetention"/>. On the local folder there are none.
/// </summary>
public sealed class UploadSweepTask(IBlobStore blobs, IOptions<BlobStorageOptions> options, ILogger<UploadSweepTask> logger)
{
    public const string Id = "sweep-uploads";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (blobs is not IDirectTransfers direct)
        {
            return;
        }

        // The store dates an upload by its own clock: the real one, whatever the marketplace's says.
        var deleted = await direct.DeleteUploadsUntouchedSinceAsync(TimeProvider.System.GetUtcNow() - options.Value.UploadRetention, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} uploads nobody took within {Retention}.", deleted, options.Value.UploadRetention);
        }
    }
}
