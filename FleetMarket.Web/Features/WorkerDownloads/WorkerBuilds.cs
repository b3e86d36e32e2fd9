using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerDownloads;

/// <summary>A published worker an owner can download: one self-contained file for one platform.</summary>
public sealed record WorkerBuild(string RuntimeId, string Platform, string FileName, long Bytes, string FullPath);

/// <summary>
/// The single-file workers published on this server (scripts/publish-worker.sh), found on disk when asked, so a
/// publish shows up without a restart. Only the platforms named here are served, and only under their own names.
/// </summary>
public sealed class WorkerBuilds(IOptions<WorkerDownloadsOptions> options, IHostEnvironment environment)
{
    /// <summary>The runtimes the script publishes, with names owners recognise.</summary>
    public static IReadOnlyDictionary<string, string> Platforms { get; } = new Dictionary<string, string>
    {
        ["linux-x64"] = "Linux x64 (PCs, servers)",
        ["linux-arm64"] = "Linux ARM64 (car computers, Jetson, Raspberry Pi)",
        ["win-x64"] = "Windows x64",
        ["osx-arm64"] = "macOS, Apple silicon",
    };

    public IReadOnlyList<WorkerBuild> Available() => Platforms.Keys.Select(Find).OfType<WorkerBuild>().ToList();

    /// <summary>The published worker for a runtime; null when it is not one of <see cref="Platforms"/> or not published.</summary>
    public WorkerBuild? Find(string runtimeId)
    {
        if (!Platforms.TryGetValue(runtimeId, out var platform))
        {
            return null;
        }

        var fileName = FileNameFor(runtimeId);
        var file = new FileInfo(System.IO.Path.Combine(Folder, runtimeId, fileName));
        return file.Exists ? new WorkerBuild(runtimeId, platform, fileName, file.Length, file.FullName) : null;
    }

    /// <summary>The executable's name in a runtime's folder, as <c>dotnet publish</c> names it.</summary>
    public static string FileNameFor(string runtimeId) =>
        runtimeId.StartsWith("win", StringComparison.Ordinal) ? "FleetMarket.Worker.exe" : "FleetMarket.Worker";

    private string Folder => System.IO.Path.GetFullPath(options.Value.Path, environment.ContentRootPath);
}
