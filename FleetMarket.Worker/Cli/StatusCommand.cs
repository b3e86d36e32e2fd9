using System.Globalization;
using FleetMarket.Protocol;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Device;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.Logging.Abstractions;
using static FleetMarket.Worker.Cli.ProviderReport;

namespace FleetMarket.Worker.Cli;

/// <summary><c>status</c>: what an owner checks first when a device does not show up as expected. Never prints the credential.</summary>
public sealed record StatusCommand : IWorkerCommand
{
    private const long Megabyte = 1024 * 1024;

    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        if (await LocalConfiguration.LoadAsync(error) is not { } local)
        {
            return ExitCodes.Failure;
        }

        var (store, settings, options) = local;

        await output.WriteLineAsync(Line("Worker version", CapabilitiesReporter.WorkerVersion));
        await output.WriteLineAsync(Line("Settings file", store.FilePath));
        if (settings is null)
        {
            await output.WriteLineAsync(Line("Paired", "no: run 'FleetMarket.Worker pair --server URL --code CODE'"));
        }
        else
        {
            await output.WriteLineAsync(Line("Paired", "yes"));
            await output.WriteLineAsync(Line("Server", settings.Server.ToString()));
            await output.WriteLineAsync(Line("Device", $"{settings.DeviceId} ('{settings.DeviceName}')"));
        }

        await WriteAsync(output, new ExecutionProviderSelector());
        await output.WriteLineAsync(Line("Conditions reported", Describe(new DeviceConditionsProbe(overrides: options.Conditions).Read())));
        var cache = new ModelFileCache(options.ModelCacheDirectory, options.ModelCacheMaxBytes, TimeProvider.System, NullLogger<ModelFileCache>.Instance);
        await output.WriteLineAsync(Line("Model cache", $"{cache.Folder}, {cache.TotalBytes() / Megabyte} of {options.ModelCacheMaxBytes / Megabyte} MB used"));
        var pending = new PendingCompletions(options.PendingDirectory, NullLogger<PendingCompletions>.Instance);
        await output.WriteLineAsync(Line("Results awaiting the server", pending.Count().ToString(CultureInfo.InvariantCulture)));
        return ExitCodes.Success;
    }

    private static string Describe(DeviceConditions conditions) => string.Join(", ",
        conditions.IsIdle ? "idle" : "in use",
        conditions.IsCharging switch { true => "on external power", false => "on battery", null => "power source unknown" },
        conditions.BatteryPercent is { } battery ? $"battery {battery} %" : "battery unknown",
        conditions.TemperatureCelsius is { } celsius ? string.Create(CultureInfo.InvariantCulture, $"{celsius:0.#} °C") : "temperature unknown");
}
