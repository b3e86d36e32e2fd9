using FleetMarket.Worker.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class WorkerConfigurationTests : IDisposable
{
    private readonly TemporaryWorkerHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Load_NothingConfigured_OverridesNothingAndCaches2GiB()
    {
        var options = WorkerConfiguration.Load(Store(), Variables());

        Assert.Equal(new ConditionOverrides(), options.Conditions);
        Assert.Equal(2048L * 1024 * 1024, options.ModelCacheMaxBytes);
        Assert.Equal(Path.Combine(_home.Path, "cache", "models"), options.ModelCacheDirectory);
    }

    [Fact]
    public void Load_KeysInTheSettingsFile_BecomeOptions()
    {
        File.WriteAllText(Store().FilePath, """
            { "server": "https://fleet.example/", "idle": true, "charging": false, "battery_percent": 55, "temperature_c": 38.5, "model_cache_mb": 10 }
            """);

        var options = WorkerConfiguration.Load(Store(), Variables());

        Assert.Equal(new ConditionOverrides(Idle: true, Charging: false, BatteryPercent: 55, TemperatureCelsius: 38.5), options.Conditions);
        Assert.Equal(10L * 1024 * 1024, options.ModelCacheMaxBytes);
    }

    [Fact]
    public void Load_EnvironmentVariable_WinsOverTheSettingsFile()
    {
        File.WriteAllText(Store().FilePath, """{ "charging": false, "battery_percent": 55 }""");
        var options = WorkerConfiguration.Load(Store(), Variables(("CHARGING", "true")));

        Assert.Equal(new ConditionOverrides(Charging: true, BatteryPercent: 55), options.Conditions);
    }

    [Theory]
    [InlineData("BATTERY_PERCENT", "140", "a percentage from 0 to 100")]
    [InlineData("CHARGING", "yes", "true or false")]
    [InlineData("TEMPERATURE_C", "warm", "a number")]
    [InlineData("MODEL_CACHE_MB", "0", "a positive number of megabytes")]
    public void Load_InvalidValue_ThrowsNamingTheVariableAndTheKey(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => WorkerConfiguration.Load(Store(), Variables((key, value))));

        Assert.StartsWith($"FLEETMARKET_{key} (or \"{key.ToLowerInvariant()}\" in {Store().FilePath})", error.Message);
        Assert.EndsWith($"is '{value}'; it takes {expected}.", error.Message);
    }

    private WorkerSettingsStore Store() => new(_home.Path);

    /// <summary>Stands in for the process's FLEETMARKET_ variables, which worker processes started by other tests would inherit.</summary>
    private static MemoryConfigurationSource Variables(params (string Key, string Value)[] variables) =>
        new() { InitialData = variables.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)) };
}
