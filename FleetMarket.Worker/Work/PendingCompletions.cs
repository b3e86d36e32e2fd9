using System.Text.Json;
using FleetMarket.Worker.Configuration;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Finished units on disk until the server has answered their upload: a crash, a restart or a lost
/// connection must not throw away compute the owner is paid for. Per lease, the outputs (<c>.npz</c>) are
/// written first and the metering (<c>.json</c>) last, so a metering file means the whole result is there.
/// Not flushed to the platter: a result lost to a power cut is a lease that expires and a unit done again.
/// </summary>
public sealed class PendingCompletions(string directory, ILogger<PendingCompletions> logger)
{
    private const string MeteringExtension = ".json";
    private const string OutputsExtension = ".npz";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public string Folder => directory;

    public void Save(PendingCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        WorkerSettingsStore.CreateOwnerOnlyDirectory(directory);
        WriteAtomically(PathOf(completion.LeaseId, OutputsExtension), completion.OutputsNpz);
        var metering = new Metering(completion.LeaseId, completion.WorkUnitId, completion.ComputeMilliseconds, completion.InferenceCount, completion.OutputsUrl);
        WriteAtomically(PathOf(completion.LeaseId, MeteringExtension), JsonSerializer.SerializeToUtf8Bytes(metering, Json));
    }

    /// <summary>Every kept result, oldest first. Unreadable ones are dropped: their leases expire and the units run elsewhere.</summary>
    public IReadOnlyList<PendingCompletion> Load()
    {
        var folder = new DirectoryInfo(directory);
        if (!folder.Exists)
        {
            return [];
        }

        var completions = new List<PendingCompletion>();
        foreach (var file in folder.EnumerateFiles("*" + MeteringExtension).OrderBy(file => file.LastWriteTimeUtc))
        {
            try
            {
                var metering = JsonSerializer.Deserialize<Metering>(File.ReadAllBytes(file.FullName), Json)
                    ?? throw new InvalidDataException("empty metering");
                var outputs = File.ReadAllBytes(PathOf(metering.LeaseId, OutputsExtension));
                completions.Add(new PendingCompletion(metering.LeaseId, metering.WorkUnitId, metering.ComputeMilliseconds, metering.InferenceCount, outputs,
                    metering.OutputsUrl));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                logger.LogWarning("Dropping the unreadable kept result {File}: {Problem}", file.Name, e.Message);
                TryDelete(file.FullName);
                TryDelete(Path.ChangeExtension(file.FullName, OutputsExtension));
            }
        }

        return completions;
    }

    public int Count() => Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*" + MeteringExtension).Count() : 0;

    public void Delete(Guid leaseId)
    {
        // Metering first: outputs without it are never sent.
        TryDelete(PathOf(leaseId, MeteringExtension));
        TryDelete(PathOf(leaseId, OutputsExtension));
    }

    private string PathOf(Guid leaseId, string extension) => Path.Combine(directory, leaseId.ToString("N") + extension);

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

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

    /// <param name="OutputsUrl">Where the outputs go in object storage; null from workers before direct transfers, and for relayed leases.</param>
    private sealed record Metering(Guid LeaseId, Guid WorkUnitId, long ComputeMilliseconds, long InferenceCount, Uri? OutputsUrl = null);
}
