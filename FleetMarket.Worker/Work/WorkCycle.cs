using FleetMarket.Domain.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Device;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// One step of the worker protocol, shared by <c>run</c> and <c>run --once</c>: a heartbeat when one
/// is due, then, if the server lets this device work, one work unit. Heartbeats go out only as often
/// as the server asks, because at fleet scale they are the server's hot path. Not thread-safe: one
/// loop drives it.
/// </summary>
public sealed class WorkCycle(
    WorkerApiClient api,
    DeviceConditionsProbe conditions,
    OnnxModelRunner runner,
    WorkUnitProcessor processor,
    TimeProvider time,
    ILogger<WorkCycle> logger)
{
    /// <summary>Bounds on the server's heartbeat interval, so a misconfigured server cannot make the fleet spin or go silent.</summary>
    private static readonly TimeSpan MinHeartbeatInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxHeartbeatInterval = TimeSpan.FromHours(1);

    private HeartbeatResponse? lastHeartbeat;
    private DateTimeOffset nextHeartbeatAt;

    public async Task<CycleOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var heartbeat = await HeartbeatIfDueAsync(cancellationToken);
        if (!heartbeat.ShouldWork)
        {
            return new CycleOutcome(CycleResult.NotAllowed, UntilNextHeartbeat(), heartbeat.Reason ?? "the server asks this device not to work now");
        }

        var lease = await api.LeaseAsync(cancellationToken);
        if (lease is null)
        {
            return new CycleOutcome(CycleResult.NoWork, UntilNextHeartbeat(), "the server has no work for this device");
        }

        await processor.ProcessAsync(lease, cancellationToken);
        return CycleOutcome.Worked;
    }

    private async Task<HeartbeatResponse> HeartbeatIfDueAsync(CancellationToken cancellationToken)
    {
        if (lastHeartbeat is not null && time.GetUtcNow() < nextHeartbeatAt)
        {
            return lastHeartbeat;
        }

        var request = new HeartbeatRequest(conditions.Read(), runner.ExecutionProvider);
        lastHeartbeat = await api.HeartbeatAsync(request, cancellationToken);
        var interval = TimeSpan.FromSeconds(lastHeartbeat.NextHeartbeatSeconds);
        nextHeartbeatAt = time.GetUtcNow() + TimeSpan.FromTicks(Math.Clamp(interval.Ticks, MinHeartbeatInterval.Ticks, MaxHeartbeatInterval.Ticks));
        logger.LogDebug("Heartbeat: {Conditions}; server says work = {ShouldWork} ({Reason})", request.Conditions, lastHeartbeat.ShouldWork, lastHeartbeat.Reason);
        return lastHeartbeat;
    }

    private TimeSpan UntilNextHeartbeat()
    {
        var wait = nextHeartbeatAt - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
