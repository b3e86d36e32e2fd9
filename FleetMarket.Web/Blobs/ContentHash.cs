using System.Security.Cryptography;

namespace FleetMarket.Web.Blobs;

public static class ContentHash
{
    /// <summary>The lower-case hex SHA-256 that names a blob.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The name, once checked to be a lower-case hex SHA-256: a blob's name becomes a path or a URL.</summary>
    public static string CheckName(string sha256) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower)
            ? sha256
            : throw new ArgumentException("A blob name is a lower-case hex SHA-256.", nameof(sha256));
}
