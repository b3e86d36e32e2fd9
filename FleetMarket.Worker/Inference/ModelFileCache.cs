using FleetMarket.Worker.Configuration;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Models on disk, named by SHA-256, so a restart or a model seen last week does not cost another download.
/// At most <c>maxBytes</c> in all: the least recently used go first. Bytes are checked against their name
/// when written and again when read back, because a disk can corrupt them and another process change them.
/// One loop uses it at a time.
/// </summary>
public sealed class ModelFileCache(string directory, long maxBytes, TimeProvider time, ILogger<ModelFileCache> logger)
{
    private const string Extension = ".onnx";

    public string Folder => directory;

    /// <summary>The model's bytes, or null when they are not cached or no longer match their hash.</summary>
    public byte[]? TryRead(string sha256)
    {
        var path = PathOf(sha256);
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
            if (ContentHash.Matches(bytes, sha256))
            {
                // The file's time is its last use: eviction goes by it, and access times are often not kept.
                File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime);
                return bytes;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot read cached model {Sha256} ({Problem}); downloading it again.", sha256, e.Message);
            return null;
        }

        logger.LogWarning("Cached model {Sha256} no longer matches its hash; deleting it and downloading it again.", sha256);
        TryDelete(path);
        return null;
    }

    /// <summary>Keeps verified model bytes, evicting older models to stay under the cap; a model larger than the cap is not kept.</summary>
    /// <exception cref="InvalidDataException">The bytes do not hash to <paramref name="sha256"/>.</exception>
    public void Write(string sha256, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var path = PathOf(sha256);
        if (!ContentHash.Matches(bytes, sha256))
        {
            throw new InvalidDataException($"Model bytes hash to {ContentHash.Sha256(bytes)}, not {sha256}; not caching them.");
        }

        if (bytes.LongLength > maxBytes)
        {
            logger.LogInformation("Model {Sha256} ({Bytes} bytes) is larger than the model cache ({MaxBytes} bytes); not caching it.", sha256, bytes.LongLength, maxBytes);
            return;
        }

        try
        {
            WorkerSettingsStore.CreateOwnerOnlyDirectory(directory);
            EvictToFit(bytes.LongLength, keep: path);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache saves downloads; without it the worker still works.
            logger.LogWarning("Cannot cache model {Sha256} in {Directory}: {Problem}", sha256, directory, e.Message);
        }
    }

    /// <summary>Bytes held now.</summary>
    public long TotalBytes() => Entries().Sum(file => file.Length);

    private void EvictToFit(long incoming, string keep)
    {
        var entries = Entries().Where(file => file.FullName != Path.GetFullPath(keep)).OrderBy(file => file.LastWriteTimeUtc).ToList();
        var total = entries.Sum(file => file.Length);
        foreach (var oldest in entries.TakeWhile(_ => total + incoming > maxBytes))
        {
            logger.LogInformation("Evicting cached model {File} ({Bytes} bytes, last used {LastUsed:u}) to stay under {MaxBytes} bytes.",
                oldest.Name, oldest.Length, oldest.LastWriteTimeUtc, maxBytes);
            TryDelete(oldest.FullName);
            total -= oldest.Length;
        }
    }

    private List<FileInfo> Entries()
    {
        var folder = new DirectoryInfo(directory);
        return folder.Exists ? [.. folder.EnumerateFiles("*" + Extension)] : [];
    }

    /// <summary>The name comes from the server: only a SHA-256 in hex may become a path.</summary>
    private string PathOf(string sha256) =>
        sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigit)
            ? Path.Combine(directory, sha256.ToLowerInvariant() + Extension)
            : throw new ArgumentException($"'{sha256}' is not a SHA-256 in hex.", nameof(sha256));

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot delete {Path}: {Problem}", path, e.Message);
        }
    }
}
