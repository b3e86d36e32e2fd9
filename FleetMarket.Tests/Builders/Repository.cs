namespace FleetMarket.Tests.Builders;

/// <summary>The repository the tests run from: its README, and the other projects' build outputs.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "FleetMarket.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException($"{AppContext.BaseDirectory} is not inside the FleetMarket repository.");
        }

        return directory.FullName;
    }
}
