namespace FleetMarket.Web.Features.WorkerDownloads;

/// <summary>Where the published single-file workers are: one folder per runtime, as scripts/publish-worker.sh writes them.</summary>
public sealed class WorkerDownloadsOptions
{
    public const string Section = "WorkerDownloads";

    /// <summary>The folder, absolute or relative to the app's content root; by default the repository's artifacts/worker.</summary>
    public string Path { get; set; } = "../artifacts/worker";
}
