using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>Writes batched device presence to the database every few seconds, and once more at shutdown.</summary>
internal sealed class PresenceFlushService(DevicePresence presence, IServiceScopeFactory scopes,
    ILogger<PresenceFlushService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the final flush below keeps the last reports.
        }

        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = presence.Drain();
        if (batch.Count == 0 || await TrySaveAsync(batch, cancellationToken))
        {
            return;
        }

        // One save for the batch is the fast path. Should it fail, each device is saved on its own, so one bad
        // report (a value its column cannot hold, a row that vanished) cannot stop "last seen" for every other device.
        foreach (var (deviceId, report) in batch)
        {
            await TrySaveAsync(new Dictionary<Guid, PresenceReport> { [deviceId] = report }, cancellationToken);
        }
    }

    private async Task<bool> TrySaveAsync(IReadOnlyDictionary<Guid, PresenceReport> reports, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
            var ids = reports.Keys.ToList();
            var devices = await db.Devices.Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
            foreach (var device in devices)
            {
                var report = reports[device.Id];
                device.RecordPresence(report.SeenAt, report.ExecutionProvider);
            }

            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Presence is advisory: a lost report only delays "last seen" until the next heartbeat.
            logger.LogWarning(exception, "Could not flush presence of {Count} devices ({Devices})", reports.Count,
                string.Join(", ", reports.Keys.Take(10)));
            return false;
        }
    }
}
