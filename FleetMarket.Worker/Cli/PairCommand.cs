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
        try
        {
            var store = WorkerSettingsStore.ForCurrentUser();
            await using var services = new ServiceCollection()
                .AddWorkerApi(new WorkerConnection(Server, Credential: null))
                .BuildServiceProvider();
            var api = services.GetRequiredService<WorkerApiClient>();
            var version = typeof(PairCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var paired = await api.PairAsync(new PairRequest(Code, version), CancellationToken.None);
            store.Save(new WorkerSettings(Server, paired.DeviceId, paired.DeviceName, paired.Credential));
            await output.WriteLineAsync($"Paired with {Server} as '{paired.DeviceName}' ({paired.DeviceId}). Credential saved to {store.FilePath}.");
            await output.WriteLineAsync("Start working with: FleetMarket.Worker run");
            return ExitCodes.Success;
        }
        catch (WorkerApiException e)
        {
            await error.WriteLineAsync($"error: pairing failed: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: paired, but the credential could not be saved: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
