using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker.Cli;

/// <summary>
/// <c>pair --server URL --code CODE</c>: trades the portal's one-time code for a saved device credential, then
/// tells the marketplace what the device can do, so the portal shows it before the worker first runs.
/// </summary>
public sealed record PairCommand(Uri Server, string Code) : IWorkerCommand
{
    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        WorkerSettingsStore store;
        PairResponse paired;
        try
        {
            store = WorkerSettingsStore.ForCurrentUser();
            await using var services = new ServiceCollection()
                .AddWorkerApi(new WorkerConnection(Server, Credential: null))
                .BuildServiceProvider();
            paired = await services.GetRequiredService<WorkerApiClient>().PairAsync(new PairRequest(Code, CapabilitiesReporter.WorkerVersion), CancellationToken.None);
        }
        catch (Exception e) when (e is WorkerApiException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: pairing failed: {e.Message}");
            return ExitCodes.Failure;
        }

        var settings = new WorkerSettings(Server, paired.DeviceId, paired.DeviceName, paired.Credential);
        try
        {
            store.Save(settings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The code is spent by now: say so, or the owner will retry it and be told it is invalid.
            await error.WriteLineAsync($"error: paired as '{paired.DeviceName}', but the credential could not be saved to {store.FilePath}: {e.Message}. Ask the portal for a new pairing code.");
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync($"Paired with {Server} as '{paired.DeviceName}' ({paired.DeviceId}). Credential saved to {store.FilePath}.");
        await ReportCapabilitiesAsync(store, settings, output, error);
        await output.WriteLineAsync("Start working with: FleetMarket.Worker run");
        return ExitCodes.Success;
    }

    /// <summary>Pairing has succeeded whatever happens here: a failure is a warning, and <c>run</c> reports again.</summary>
    private static async Task ReportCapabilitiesAsync(WorkerSettingsStore store, WorkerSettings settings, TextWriter output, TextWriter error)
    {
        WorkerOptions options;
        try
        {
            // Read after saving: pairing again is how an owner repairs a settings file that is not JSON.
            options = WorkerConfiguration.Load(store);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"warning: capabilities not reported: {e.Message}");
            return;
        }

        await using var services = new ServiceCollection().AddLogging().AddWorker(settings, options).BuildServiceProvider();
        var report = await services.GetRequiredService<CapabilitiesReporter>().ReportAsync(CancellationToken.None);
        if (report.Capabilities is { } capabilities)
        {
            await output.WriteLineAsync(
                $"Benchmark: {capabilities.BenchmarkInferencesPerSecond:F0} inferences per second on {capabilities.ExecutionProvider} (available: {string.Join(", ", capabilities.AvailableProviders)}).");
        }

        if (report.Problem is { } problem)
        {
            await error.WriteLineAsync($"warning: capabilities not reported: {problem}. 'run' reports them again.");
        }
    }
}
