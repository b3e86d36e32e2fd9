using System.IO.Compression;

namespace FleetMarket.Domain.Tensors;

/// <summary>
/// Reads and writes numpy's <c>.npz</c> archives: a zip with one <c>.npy</c> entry per array, as
/// written by <c>numpy.savez</c> (stored) and <c>numpy.savez_compressed</c> (deflated).
/// </summary>
public static class Npz
{
    private const string EntrySuffix = ".npy";

    /// <summary>
    /// Zip entries carry a timestamp; a fixed one makes equal arrays give equal bytes, and so one
    /// SHA-256, which content-addressed blobs depend on.
    /// </summary>
    private static readonly DateTimeOffset EntryTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The arrays keyed by entry name less <c>.npy</c>, in the archive's entry order.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException($"Not a valid .npz file: {e.Message}", e);
        }

        using (archive)
        {
            var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal))
                {
                    throw new NpyFormatException($"The .npz entry '{entry.FullName}' is not a .npy file.");
                }

                var key = entry.FullName[..^EntrySuffix.Length];
                if (!arrays.TryAdd(key, ReadEntry(entry)))
                {
                    throw new NpyFormatException($"The .npz file holds the array '{key}' twice.");
                }
            }

            return arrays;
        }
    }

    public static IReadOnlyDictionary<string, NpyArray> Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream);
    }

    /// <summary>Writes one entry per array, in the dictionary's order.</summary>
    /// <param name="compressed">Deflate the entries, as <c>numpy.savez_compressed</c> does; otherwise store them, as <c>numpy.savez</c> does.</param>
    public static void Write(Stream stream, IReadOnlyDictionary<string, NpyArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(arrays);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (key, array) in arrays)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("Array names in an .npz file must not be empty.", nameof(arrays));
            }

            var entry = archive.CreateEntry(key + EntrySuffix, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = EntryTimestamp;
            using var entryStream = entry.Open();
            Npy.Write(entryStream, array);
        }
    }

    public static byte[] ToBytes(IReadOnlyDictionary<string, NpyArray> arrays, bool compressed = false)
    {
        using var stream = new MemoryStream();
        Write(stream, arrays, compressed);
        return stream.ToArray();
    }

    private static NpyArray ReadEntry(ZipArchiveEntry entry)
    {
        try
        {
            using var entryStream = entry.Open();
            var array = Npy.Read(entryStream);
            if (entryStream.ReadByte() != -1)
            {
                throw new NpyFormatException("unexpected bytes follow the array data.");
            }

            return array;
        }
        catch (Exception e) when (e is NpyFormatException or InvalidDataException)
        {
            throw new NpyFormatException($"The .npz entry '{entry.FullName}' is invalid: {e.Message}", e);
        }
    }
}
