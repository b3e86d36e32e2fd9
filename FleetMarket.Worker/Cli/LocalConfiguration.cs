using FleetMarket.Worker.Configuration;

namespace FleetMarket.Worker.Cli;

/// <summary>The worker's saved settings as the commands read them; a damaged file is an error message, not a crash.</summary>
internal sealed record LocalConfiguration(WorkerSettingsStore Store, WorkerSettings? Settings, WorkerOptions Options)
{
    public static async Task<LocalConfiguration?> LoadAsync(TextWriter error)
    {
        try
        {
            var store = WorkerSettingsStore.ForCurrentUser();
            return new LocalConfiguration(store, store.Load(), WorkerConfiguration.Load(store));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return null;
        }
    }
}
