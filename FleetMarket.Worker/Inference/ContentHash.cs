using System.Security.Cryptography;

namespace FleetMarket.Worker.Inference;

/// <summary>SHA-256 as the marketplace names blobs: lowercase hex.</summary>
public static class ContentHash
{
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool Matches(ReadOnlySpan<byte> bytes, string expectedSha256) =>
        string.Equals(Sha256(bytes), expectedSha256, StringComparison.OrdinalIgnoreCase);
}
