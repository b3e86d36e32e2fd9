using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Blobs;

public enum BlobStorageKind
{
    /// <summary>Files under the data folder; every byte to and from devices and buyers passes through the web node.</summary>
    LocalFolder,

    /// <summary>Azure Blob Storage (or Azurite): devices and buyers move bytes to and from it directly, by SAS URLs.</summary>
    AzureBlob,
}

/// <summary>Where models, input slices and outputs are kept (section <c>BlobStorage</c>).</summary>
public sealed class BlobStorageOptions
{
    public const string Section = "BlobStorage";

    public BlobStorageKind Kind { get; set; } = BlobStorageKind.LocalFolder;

    /// <summary>
    /// The storage account's connection string, with its account key: the key signs the SAS URLs. Required for
    /// <see cref="BlobStorageKind.AzureBlob"/>; a secret, so it comes from the environment, never from appsettings.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container that holds everything; created at start when missing.</summary>
    [Required, RegularExpression("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", ErrorMessage = "BlobStorage:Container must be a valid container name: 3 to 63 lower-case letters, digits and single hyphens.")]
    public string Container { get; set; } = "fleetmarket";

    /// <summary>
    /// How long a transfer URL handed to a device or buyer works. Short, because a URL is a bearer credential; a worker
    /// whose URL ran out while its unit ran gets fresh ones with its next lease renewal.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TransferUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an upload nobody took (never submitted, refused, its lease gone) stays before it is deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan UploadRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The blob service as devices and buyers reach it, when that differs from the connection string's endpoint (a
    /// compose network's <c>http://azurite:10000</c> is not reachable from a car). Its path replaces the service's.
    /// </summary>
    public Uri? PublicEndpoint { get; set; }

    /// <summary>The kind configuration names, read while services are registered, with the same default as <see cref="Kind"/>.</summary>
    public static BlobStorageKind KindIn(IConfiguration configuration) =>
        configuration.GetValue(Section + ":" + nameof(Kind), BlobStorageKind.LocalFolder);
}
