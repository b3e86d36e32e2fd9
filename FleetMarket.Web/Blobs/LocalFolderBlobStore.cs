using FleetMarket.Web.Data;

namespace FleetMarket.Web.Blobs;

/// <summary>Blobs as files under the data folder, fanned out by the first two hex digits of the hash.</summary>
public sealed class LocalFolderBlobStore(DataFolder dataFolder) : IBlobStore
{
    private readonly string _root = Directory.CreateDirectory(dataFolder.File("blobs")).FullName;

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var sha256 = ContentHash.Of(content.Span);
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            return sha256;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Write beside, then move: a reader never sees half a blob, and a crash leaves only a temp file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return sha256;
    }

    public Stream? OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        return File.Exists(path) ? File.OpenRead(path) : null;
    }

    public async Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(PathOf(sha256), cancellationToken);

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A blob name is a lower-case hex SHA-256.", nameof(sha256));
        }

        return Path.Combine(_root, sha256[..2], sha256);
    }
}
