using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Telemetry;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker.Cli;

/// <summary>
/// <c>run [--once]</c>: the worker proper, hosted so that Ctrl+C and service stops cancel it cleanly. Under
/// systemd (<c>Type=notify</c>) or as a Windows service it tells the service manager when it is up and stops
/// when asked; elsewhere those hooks do nothing.
/// </summary>
public sealed record RunCommand(bool Once) : IWorkerCommand
{
    /// <summary>After the grace period, time to upload a finished unit's result or release an abandoned lease.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        if (await LocalConfiguration.LoadAsync(error) is not { } local)
        {
            return ExitCodes.Failure;
        }

        var (store, settings, options) = local;

        if (settings is null)
        {
            await error.WriteLineAsync($"error: this device is not paired (no {store.FilePath}); run 'FleetMarket.Worker pair --server URL --code CODE' first.");
            return ExitCodes.Failure;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "FleetMarket.Worker" });

        // Every request would otherwise log twice at Information; retries and failures still show.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(service => service.ServiceName = "FleetMarket Worker");
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGrace + ShutdownMargin);
        builder.Services.AddWorker(settings, options);
        builder.Services.AddWorkerTelemetry(builder.Configuration, settings.DeviceId);
        if (Once)
        {
            builder.Services.AddHostedService<RunOnceService>();
        }
        else
        {
            builder.Services.AddHostedService<LeaseLoopService>();
        }

        var host = builder.Build();
        var exitCode = host.Services.GetRequiredService<WorkerExitCode>();
        await host.RunAsync();
        return exitCode.Value;
    }
}
