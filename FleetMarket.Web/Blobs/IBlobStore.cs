namespace FleetMarket.Web.Blobs;

/// <summary>Content-addressed storage for models, input slices and outputs: a blob's name is its SHA-256.</summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes and returns their lower-case hex SHA-256; storing the same bytes twice is free.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob for reading, or null when there is none with that hash.</summary>
    Stream? OpenRead(string sha256);

    Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default);
}
