using FleetMarket.Web.Features.WorkerDownloads;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// A folder of published workers laid out as scripts/publish-worker.sh lays it out, each a few bytes standing for
/// the executable: a real publish takes minutes per platform.
/// </summary>
public static class PublishedWorkers
{
    public static readonly byte[] Executable = [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];

    public static void Publish(string folder, string runtimeId)
    {
        var runtimeFolder = Directory.CreateDirectory(Path.Combine(folder, runtimeId));
        File.WriteAllBytes(Path.Combine(runtimeFolder.FullName, WorkerBuilds.FileNameFor(runtimeId)), Executable);
    }
}
