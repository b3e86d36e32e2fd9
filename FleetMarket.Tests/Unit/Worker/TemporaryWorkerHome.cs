using FleetMarket.Worker.Configuration;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>A worker home (settings, model cache, kept results) of one test's own, deleted afterwards.</summary>
internal sealed class TemporaryWorkerHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("fleetmarket-worker-").FullName;

    public WorkerOptions Options => new(Path);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
