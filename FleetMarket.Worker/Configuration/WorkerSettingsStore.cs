using System.Text.Json;
using System.Text.Json.Nodes;

namespace FleetMarket.Worker.Configuration;

/// <summary>
/// Keeps <see cref="WorkerSettings"/> as JSON in a per-user folder. The file holds the device's
/// credential, so on Unix it is created readable by its owner only (0600, in a 0700 folder). The same
/// folder holds the worker's model cache and its results awaiting acknowledgement.
/// </summary>
public sealed class WorkerSettingsStore(string directory)
{
    /// <summary>Overrides the folder; tests and side-by-side installs use it.</summary>
    public const string HomeVariable = "FLEETMARKET_WORKER_HOME";

    public const string FileName = "worker.json";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public string Home { get; } = directory;

    public string FilePath { get; } = Path.Combine(directory, FileName);

    /// <summary>The store in <c>$FLEETMARKET_WORKER_HOME</c>, or else in the user's application data folder.</summary>
    public static WorkerSettingsStore ForCurrentUser()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home))
        {
            return new WorkerSettingsStore(home);
        }

        var appData = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        return string.IsNullOrEmpty(appData)
            ? throw new InvalidOperationException($"This user has no application data folder; set {HomeVariable} to a folder for the worker's settings.")
            : new WorkerSettingsStore(Path.Combine(appData, "FleetMarket"));
    }

    /// <summary>The saved settings, or null when this device has not been paired.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not valid settings.</exception>
    public WorkerSettings? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            var settings = JsonSerializer.Deserialize<WorkerSettings>(File.ReadAllText(FilePath), Json);
            return settings is { Server.IsAbsoluteUri: true, Credential.Length: > 0 }
                ? settings
                : throw new InvalidDataException($"{FilePath} lacks the server address or the credential; pair this device again.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FilePath} is not valid worker settings ({e.Message}); pair this device again.", e);
        }
    }

    public void Save(WorkerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CreateOwnerOnlyDirectory(Home);

        // Keys the owner added by hand (see WorkerConfiguration) survive pairing again.
        var document = ReadObject() ?? [];
        foreach (var (name, value) in JsonSerializer.SerializeToNode(settings, Json)!.AsObject())
        {
            document[name] = value?.DeepClone();
        }

        // Write a fresh file and move it into place: the credential is never readable by others, not even
        // for a moment, and a crash mid-write leaves the old settings intact.
        var temporary = FilePath + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, document, Json);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>A folder under the worker's home that others cannot read: buyers' models and outputs go there.</summary>
    public static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    private JsonObject? ReadObject()
    {
        try
        {
            return File.Exists(FilePath)
                ? JsonNode.Parse(File.ReadAllText(FilePath), new JsonNodeOptions { PropertyNameCaseInsensitive = true }) as JsonObject
                : null;
        }
        catch (JsonException)
        {
            // Unreadable settings are replaced, as pairing again is how an owner repairs them.
            return null;
        }
    }
}
