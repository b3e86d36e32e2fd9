using FleetMarket.Domain;

namespace FleetMarket.Web.Blobs;

/// <summary>
/// A blob store that devices and buyers reach without the web node, by narrowly scoped, short-lived URLs: one reads one
/// blob, one writes one upload. An upload is untrusted until the server has read it back, checked it and kept it
/// (<see cref="KeepAsync"/>) under its content's name.
/// </summary>
public interface IDirectTransfers
{
    /// <summary>
    /// A URL that reads the blob named <paramref name="sha256"/>, and nothing else, until <paramref name="expiresAt"/>; a
    /// browser saves it as <paramref name="downloadFileName"/> when one is given.
    /// </summary>
    Uri ReadUrl(string sha256, DateTimeOffset expiresAt, string? downloadFileName = null);

    /// <summary>A URL that writes the upload <paramref name="upload"/> (an HTTP PUT of the whole content), and nothing else, until <paramref name="expiresAt"/>.</summary>
    Uri UploadUrl(UploadName upload, DateTimeOffset expiresAt);

    /// <summary>
    /// The upload as it is now, or null when nothing was uploaded. Content larger than <paramref name="maxBytes"/> is not
    /// read: the answer says how large it is and carries no content.
    /// </summary>
    Task<StagedUpload?> ReadUploadAsync(UploadName upload, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the upload, as it was read, as the blob named <paramref name="sha256"/> (a copy inside the store: no byte
    /// passes through the web node) and deletes it. Should the upload have been written again since it was read, nothing
    /// is kept and <see cref="UploadChangedException"/> is thrown.
    /// </summary>
    Task KeepAsync(StagedUpload upload, string sha256, CancellationToken cancellationToken = default);

    Task DeleteUploadAsync(UploadName upload, CancellationToken cancellationToken = default);

    /// <summary>Deletes every upload last written before <paramref name="cutoff"/>; answers how many.</summary>
    Task<int> DeleteUploadsUntouchedSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>Where an untrusted upload waits for its check: a lease's outputs, or a buyer's file.</summary>
public readonly record struct UploadName(string Path)
{
    public static UploadName ForLease(Guid leaseId) => new($"leases/{leaseId:N}");

    /// <summary>Under the buyer's id, so that a buyer can name only uploads of their own.</summary>
    public static UploadName ForBuyer(string buyerId, Guid uploadId) => new($"buyers/{buyerId}/{uploadId:N}");

    public override string ToString() => Path;
}

/// <param name="Length">The upload's size in bytes.</param>
/// <param name="Version">The store's version of what was read (an ETag), so that a later write is noticed.</param>
/// <param name="Content">The bytes; null when they were larger than the caller would read.</param>
public sealed record StagedUpload(UploadName Name, long Length, string Version, byte[]? Content);

/// <summary>Refuses a result or submission whose upload changed under its check: the sender is told, as for any broken rule.</summary>
public sealed class UploadChangedException(UploadName upload)
    : DomainException($"The upload {upload} was written again while it was being checked; nothing was kept.");
