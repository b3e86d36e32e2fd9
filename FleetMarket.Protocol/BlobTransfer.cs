using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol;

/// <summary>
/// Where a device moves a unit's bytes without the web node, when the marketplace keeps blobs in object storage: a GET
/// of <see cref="ModelUrl"/> and <see cref="InputUrl"/> reads the model and the input slice (checked against their
/// SHA-256 as ever), and one PUT of the whole <c>.npz</c> to <see cref="OutputsUrl"/> (with the header
/// <c>x-ms-blob-type: BlockBlob</c>) uploads the outputs, which the completion then declares
/// (<see cref="UploadedOutputs"/>). Each URL reaches one blob and works until <see cref="ExpiresAt"/>; a lease renewal
/// brings fresh ones.
/// </summary>
/// <param name="MaxOutputBytes">The largest outputs the server takes; a larger upload is refused at completion.</param>
public sealed record BlobTransfer(Uri ModelUrl, Uri InputUrl, Uri OutputsUrl, DateTimeOffset ExpiresAt, long MaxOutputBytes)
{
    /// <summary>The header a PUT to <see cref="OutputsUrl"/> carries: the store writes the body as one block blob.</summary>
    public const string BlobTypeHeader = "x-ms-blob-type";

    public const string BlockBlob = "BlockBlob";
}

/// <summary>Outputs a device uploaded to its lease's <see cref="BlobTransfer.OutputsUrl"/>: taken only if the upload is this size and hash.</summary>
public sealed record UploadedOutputs(
    [RegularExpression("^[0-9a-f]{64}$")] string Sha256,
    [Range(1, long.MaxValue)] long Bytes);
