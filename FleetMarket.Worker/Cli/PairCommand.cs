using System.Reflection;
using FleetMarket.Domain.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker.Cli;

/// <summary><c>pair --server URL --code CODE</c>: trades the portal's one-time code for a saved device credential.</summary>
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
            var version = typeof(PairCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            paired = await services.GetRequiredService<WorkerApiClient>().PairAsync(new PairRequest(Code, version), CancellationToken.None);
        }
        catch (Exception e) when (e is WorkerApiException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: pairing failed: {e.Message}");
            return ExitCodes.Failure;
        }

        try
        {
            store.Save(new WorkerSettings(Server, paired.DeviceId, paired.DeviceName, paired.Credential));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The code is spent by now: say so, or the owner will retry it and be told it is invalid.
            await error.WriteLineAsync($"error: paired as '{paired.DeviceName}', but the credential could not be saved to {store.FilePath}: {e.Message}. Ask the portal for a new pairing code.");
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync($"Paired with {Server} as '{paired.DeviceName}' ({paired.DeviceId}). Credential saved to {store.FilePath}.");
        await output.WriteLineAsync("Start working with: FleetMarket.Worker run");
        return ExitCodes.Success;
    }
}
