using System.Collections.Concurrent;

namespace FleetMarket.Web.Features.WorkerProtocol;

public sealed record PresenceReport(DateTimeOffset SeenAt, string ExecutionProvider);

/// <summary>
/// Heartbeats land here, in memory, instead of in the database: at fleet scale a write per heartbeat
/// would dominate the store. <see cref="PresenceFlushService"/> writes the latest report per device in batches.
/// </summary>
public sealed class DevicePresence
{
    private ConcurrentDictionary<Guid, PresenceReport> _pending = new();

    public void Report(Guid deviceId, PresenceReport report) => _pending[deviceId] = report;

    /// <summary>Takes everything reported since the last drain; later reports go to a fresh batch.</summary>
    public IReadOnlyDictionary<Guid, PresenceReport> Drain() => Interlocked.Exchange(ref _pending, new());
}
