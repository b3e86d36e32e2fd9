namespace FleetMarket.Web.Blobs;

/// <summary>Content-addressed storage for models, input slices and outputs: a blob's name is its SHA-256.</summary>
public interface IBlobStore
{
    /// <summary>
    /// How many blobs one task reads or writes at once: object storage answers each request after a round trip, so
    /// a job's slices and outputs go several at a time, no more than this many in memory.
    /// </summary>
    const int ConcurrentRequests = 8;

    /// <summary>Stores the bytes and returns their lower-case hex SHA-256; storing the same bytes twice is free.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob for reading, or null when there is none with that hash.</summary>
    Task<OpenBlob?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default);

    Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default);
}

/// <summary>A blob being read, and its size, known before it is read (the relayed-bytes meter counts it).</summary>
public sealed record OpenBlob(Stream Content, long Length);
