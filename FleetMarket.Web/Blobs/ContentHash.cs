using System.Security.Cryptography;

namespace FleetMarket.Web.Blobs;

public static class ContentHash
{
    /// <summary>The lower-case hex SHA-256 that names a blob.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
