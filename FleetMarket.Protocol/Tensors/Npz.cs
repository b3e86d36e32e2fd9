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
        using var archive = Open(stream);
        var budget = new ByteBudget(limits.MaxBytes);
        var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var key = KeyOf(entry, arrays.ContainsKey);
            arrays.Add(key, ReadEntry(entry, key, limits.CheckHeader, budget));
        }

        return arrays;
    }

    private static ZipArchive Open(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new NpyFormatException($"Not a valid .npz file: {e.Message}", e);
        }
    }

    /// <summary>The entry's array name; refuses entries that are not arrays, and names already read.</summary>
    private static string KeyOf(ZipArchiveEntry entry, Func<string, bool> read)
    {
        if (!entry.FullName.EndsWith(EntrySuffix, StringComparison.Ordinal))
        {
            throw new NpyFormatException($"The .npz entry '{entry.FullName}' is not a .npy file.");
        }

        var key = entry.FullName[..^EntrySuffix.Length];
        return read(key)
            ? throw new NpyFormatException($"The .npz file holds the array '{key}' twice.")
            : key;
    }

    /// <summary>
    /// Reads each array straight into the buffer <paramref name="destination"/> gives for its header, with the same
    /// limits as <see cref="Read(Stream, NpyLimits)"/>: one copy from the archive, none through <see cref="NpyArray"/>.
    /// </summary>
    /// <returns>The arrays' names, in the archive's entry order.</returns>
    public static IReadOnlyList<string> ReadInto(byte[] bytes, NpyLimits limits, NpyDestination destination)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(destination);
        using var stream = new MemoryStream(bytes, writable: false);
        using var archive = Open(stream);
        var budget = new ByteBudget(limits.MaxBytes);
        var names = new List<string>(archive.Entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var key = KeyOf(entry, seen.Contains);
            seen.Add(key);
            names.Add(key);
            try
            {
                using var entryStream = new BudgetedStream(entry.Open(), budget);
                Npy.ReadToEndInto(entryStream, key, limits.CheckHeader, budget, destination);
            }
            catch (Exception e) when (e is NpyFormatException or InvalidDataException)
            {
                throw new NpyFormatException($"The .npz entry '{entry.FullName}' is invalid: {e.Message}", e);
            }
        }

        return names;
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
        ArgumentNullException.ThrowIfNull(arrays);
        var values = arrays.Values.ToList();
        Write(stream, [.. arrays.Keys], (index, entryStream) => Npy.Write(entryStream, values[index]), compressed);
    }

    /// <summary>
    /// Writes one entry per name, in order, whose <c>.npy</c> bytes <paramref name="writeArray"/> writes given the
    /// name's index (<see cref="Npy.WriteHeader"/>, then the data): arrays held elsewhere than in an <see cref="NpyArray"/>
    /// go in without a copy to one.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<string> names, Action<int, Stream> writeArray, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(writeArray);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        for (var index = 0; index < names.Count; index++)
        {
            if (string.IsNullOrEmpty(names[index]))
            {
                throw new ArgumentException("Array names in an .npz file must not be empty.", nameof(names));
            }

            var entry = archive.CreateEntry(names[index] + EntrySuffix, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = EntryTimestamp;
            using var entryStream = entry.Open();
            writeArray(index, entryStream);
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
