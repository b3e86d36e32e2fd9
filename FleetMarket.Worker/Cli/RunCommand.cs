using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker.Cli;

/// <summary><c>run [--once]</c>: the worker proper, hosted so that Ctrl+C and service stops cancel it cleanly.</summary>
public sealed record RunCommand(bool Once) : IWorkerCommand
{
    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        WorkerSettingsStore store;
        WorkerSettings? settings;
        try
        {
            store = WorkerSettingsStore.ForCurrentUser();
            settings = store.Load();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }

        if (settings is null)
        {
            await error.WriteLineAsync($"error: this device is not paired (no {store.FilePath}); run 'FleetMarket.Worker pair --server URL --code CODE' first.");
            return ExitCodes.Failure;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "FleetMarket.Worker" });

        // Every request would otherwise log twice at Information; retries and failures still show.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddWorker(settings);
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
