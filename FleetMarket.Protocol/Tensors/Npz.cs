using System.IO.Compression;

namespace FleetMarket.Protocol.Tensors;

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

    /// <summary>
    /// The arrays keyed by entry name less <c>.npy</c>, in the archive's entry order, read within
    /// <paramref name="limits"/>: each entry's header is judged before its data is inflated, and inflating stops
    /// at the first byte past the budget (entries' declared sizes are the sender's word, so they are not used).
    /// </summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, NpyLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
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
            var budget = new ByteBudget(limits.MaxBytes);
            var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal))
                {
                    throw new NpyFormatException($"The .npz entry '{entry.FullName}' is not a .npy file.");
                }

                var key = entry.FullName[..^EntrySuffix.Length];
                if (arrays.ContainsKey(key))
                {
                    throw new NpyFormatException($"The .npz file holds the array '{key}' twice.");
                }

                arrays.Add(key, ReadEntry(entry, key, limits.CheckHeader, budget));
            }

            return arrays;
        }
    }

    public static IReadOnlyDictionary<string, NpyArray> Read(byte[] bytes, NpyLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, limits);
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

    private static NpyArray ReadEntry(ZipArchiveEntry entry, string key, NpyHeaderCheck? check, ByteBudget budget)
    {
        try
        {
            using var entryStream = new BudgetedStream(entry.Open(), budget);
            return Npy.ReadToEnd(entryStream, key, check, budget);
        }
        catch (Exception e) when (e is NpyFormatException or InvalidDataException)
        {
            throw new NpyFormatException($"The .npz entry '{entry.FullName}' is invalid: {e.Message}", e);
        }
    }
}
