using System.Globalization;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace FleetMarket.Worker.Configuration;

/// <summary>
/// Reads <see cref="WorkerOptions"/> once, when a command starts: keys in the settings file (worker.json),
/// each overridden by an environment variable <c>FLEETMARKET_{KEY}</c>, which is how a systemd unit, a
/// container or a vehicle's start script sets them.
/// </summary>
public static class WorkerConfiguration
{
    public const string EnvironmentPrefix = "FLEETMARKET_";

    public const string Idle = "IDLE";
    public const string Charging = "CHARGING";
    public const string BatteryPercent = "BATTERY_PERCENT";
    public const string TemperatureCelsius = "TEMPERATURE_C";
    public const string ModelCacheMegabytes = "MODEL_CACHE_MB";

    /// <exception cref="InvalidDataException">The settings file is not JSON, or a value is not what its key takes.</exception>
    public static WorkerOptions Load(WorkerSettingsStore store) =>
        Load(store, new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix });

    /// <param name="store">The settings file.</param>
    /// <param name="environment">
    /// The <c>FLEETMARKET_</c> variables, prefix removed: tests pass their own rather than change the
    /// process's environment, which worker processes they start would inherit.
    /// </param>
    public static WorkerOptions Load(WorkerSettingsStore store, IConfigurationSource environment)
    {
        ArgumentNullException.ThrowIfNull(store);
        var builder = new ConfigurationBuilder();
        if (File.Exists(store.FilePath))
        {
            builder.AddJsonFile(store.FilePath, optional: true, reloadOnChange: false);
        }

        var configuration = builder.Add(environment).Build();
        var battery = Value<int>(configuration, BatteryPercent, store);
        if (battery is < 0 or > 100)
        {
            throw Invalid(BatteryPercent, battery?.ToString(CultureInfo.InvariantCulture), "a percentage from 0 to 100", store);
        }

        var cacheMegabytes = Value<long>(configuration, ModelCacheMegabytes, store) ?? WorkerOptions.DefaultModelCacheMegabytes;
        if (cacheMegabytes <= 0)
        {
            throw Invalid(ModelCacheMegabytes, cacheMegabytes.ToString(CultureInfo.InvariantCulture), "a positive number of megabytes", store);
        }

        return new WorkerOptions(store.Home)
        {
            Conditions = new ConditionOverrides(
                Value<bool>(configuration, Idle, store),
                Value<bool>(configuration, Charging, store),
                battery,
                Value<double>(configuration, TemperatureCelsius, store)),
            ModelCacheMaxBytes = cacheMegabytes * 1024 * 1024,
        };
    }

    private static T? Value<T>(IConfiguration configuration, string key, WorkerSettingsStore store)
        where T : struct, IParsable<T>
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return T.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(key, text, typeof(T) == typeof(bool) ? "true or false" : "a number", store);
    }

    private static InvalidDataException Invalid(string key, string? text, string expected, WorkerSettingsStore store) =>
        new($"{EnvironmentPrefix}{key} (or \"{key.ToLowerInvariant()}\" in {store.FilePath}) is '{text}'; it takes {expected}.");
}
