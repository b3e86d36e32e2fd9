using System.Runtime.Versioning;
using FleetMarket.Worker.Configuration;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class WorkerSettingsStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fleetmarket-settings-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Load_NothingSaved_ReturnsNull()
    {
        Assert.Null(new WorkerSettingsStore(_folder).Load());
    }

    [Fact]
    public void Save_ThenLoad_RoundTrips()
    {
        var store = new WorkerSettingsStore(_folder);
        var settings = new WorkerSettings(new Uri("https://fleet.example/"), Guid.NewGuid(), "garage car", "secret");

        store.Save(settings);
        store.Save(settings with { Credential = "rotated" });

        Assert.Equal(settings with { Credential = "rotated" }, store.Load());
        Assert.Equal([WorkerSettingsStore.FileName], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_AfterTheOwnerAddedSettings_KeepsThem()
    {
        var store = new WorkerSettingsStore(_folder);
        var settings = new WorkerSettings(new Uri("https://fleet.example/"), Guid.NewGuid(), "garage car", "secret");
        store.Save(settings);
        File.WriteAllText(store.FilePath, File.ReadAllText(store.FilePath).Replace("{", "{ \"charging\": true, \"model_cache_mb\": 512,"));

        store.Save(settings with { Credential = "re-paired" });

        Assert.Equal("re-paired", store.Load()!.Credential);
        var saved = File.ReadAllText(store.FilePath);
        Assert.Contains("\"charging\": true", saved);
        Assert.Contains("\"model_cache_mb\": 512", saved);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_OnUnix_MakesFileReadableByOwnerOnly()
    {
        var store = new WorkerSettingsStore(_folder);

        store.Save(new WorkerSettings(new Uri("https://fleet.example/"), Guid.NewGuid(), "car", "secret"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"server\": \"https://fleet.example/\"}")]
    public void Load_InvalidFile_ThrowsSayingPairAgain(string content)
    {
        Directory.CreateDirectory(_folder);
        var store = new WorkerSettingsStore(_folder);
        File.WriteAllText(store.FilePath, content);

        var error = Assert.Throws<InvalidDataException>(store.Load);

        Assert.Contains("pair this device again", error.Message);
    }
}
