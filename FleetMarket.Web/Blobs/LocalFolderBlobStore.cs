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

    public Task<OpenBlob?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult<OpenBlob?>(null);
        }

        var content = File.OpenRead(path);
        return Task.FromResult<OpenBlob?>(new OpenBlob(content, content.Length));
    }

    public async Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(PathOf(sha256), cancellationToken);

    private string PathOf(string sha256)
    {
        var name = ContentHash.CheckName(sha256);
        return Path.Combine(_root, name[..2], name);
    }
}
