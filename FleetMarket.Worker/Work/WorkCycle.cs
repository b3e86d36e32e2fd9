using System.Runtime.CompilerServices;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Device;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// One step of the worker protocol, shared by <c>run</c> and <c>run --once</c>: results kept from before go
/// out first (and, on the first step, every other lease the server thinks this device holds is given back: they
/// were lost with the previous process); then a heartbeat when one is due; then, if the server and the owner's
/// availability policy let this device work now, a few work units, which the server may take a while to find (long
/// polling) so that an idle device starts on new work at once. They run through the <see cref="WorkPipeline"/>, which
/// asks for more, without waiting, while the server keeps handing out full batches, so that the pipeline does not
/// drain between them. Heartbeats go out only as often as the server asks, because at fleet scale they are the
/// server's hot path; the policy is checked locally before every lease, because the car may have been unplugged
/// since the last heartbeat. Not thread-safe: one loop drives it.
/// </summary>
public sealed class WorkCycle(
    WorkerApiClient api,
    DeviceConditionsProbe conditions,
    OnnxModelRunner runner,
    UnitLeaser leaser,
    WorkPipeline pipeline,
    CompletionUploader uploader,
    PendingCompletions pending,
    TimeProvider time,
    ILogger<WorkCycle> logger)
{
    /// <summary>How long a unit may take when the server does not say how long its leases run.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(5);

    /// <summary>Bounds on the server's heartbeat interval, so a misconfigured server cannot make the fleet spin or go silent.</summary>
    private static readonly TimeSpan MinHeartbeatInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxHeartbeatInterval = TimeSpan.FromHours(1);

    /// <summary>Conditions change between heartbeats (the car is plugged in): look again this soon after the policy says no.</summary>
    private static readonly TimeSpan PolicyRecheck = TimeSpan.FromMinutes(1);

    /// <summary>How long <c>run</c> lets the server hold a lease request open; the server's own bound.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(LeaseRequest.MaxWaitSeconds);

    private HeartbeatResponse? _lastHeartbeat;
    private DateTimeOffset _nextHeartbeatAt;
    private bool _heldLeasesReleased;

    /// <param name="waitForWork">How long the server may look for a unit before answering that it has none.</param>
    public async Task<CycleOutcome> RunAsync(TimeSpan waitForWork, CancellationToken cancellationToken)
    {
        await uploader.ResendPendingAsync(cancellationToken);
        await ReleaseHeldLeasesOnceAsync(cancellationToken);
        var heartbeat = await HeartbeatIfDueAsync(cancellationToken);
        if (!heartbeat.ShouldWork)
        {
            return new CycleOutcome(CycleResult.NotAllowed, UntilNextHeartbeat(), heartbeat.Reason ?? "the server asks this device not to work now");
        }

        var current = conditions.Read();
        if (PolicyRefusal(heartbeat, current) is { } refusal)
        {
            var wait = UntilNextHeartbeat();
            return new CycleOutcome(CycleResult.NotAllowed, wait < PolicyRecheck ? wait : PolicyRecheck, $"the owner's availability policy: {refusal}");
        }

        // Back before the next heartbeat is due, so the server hears the device's conditions on time.
        var longPoll = new[] { waitForWork, UntilNextHeartbeat(), LongPoll }.Min();
        var asked = time.GetTimestamp();
        var leases = await leaser.LeaseAsync(current, longPoll, cancellationToken);
        if (leases.Count == 0)
        {
            // The server waited already; a server that answers early waits the rest here, so the worker never spins.
            var rest = longPoll - time.GetElapsedTime(asked);
            return new CycleOutcome(CycleResult.NoWork, rest > TimeSpan.Zero ? rest : TimeSpan.Zero, "the server has no work for this device");
        }

        await pipeline.RunAsync(ThenMore(leases, cancellationToken), cancellationToken);
        return CycleOutcome.Worked;
    }

    /// <summary>
    /// <paramref name="first"/>, then, while each batch came full (the server may have more), the next one, asked for
    /// as the pipeline takes the last unit in hand: not once a stop is asked for, a heartbeat is due, or the owner's
    /// policy says no. A failure to ask ends the batches; the units in hand still finish.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<WorkUnitLease>> ThenMore(IReadOnlyList<WorkUnitLease> first, [EnumeratorCancellation] CancellationToken stoppingToken)
    {
        var batch = first;
        yield return batch;
        while (batch.Count >= leaser.UnitsPerRequest && !stoppingToken.IsCancellationRequested && UntilNextHeartbeat() > TimeSpan.Zero
            && _lastHeartbeat is { ShouldWork: true } heartbeat && conditions.Read() is var current && PolicyRefusal(heartbeat, current) is null)
        {
            try
            {
                batch = await leaser.LeaseAsync(current, TimeSpan.Zero, stoppingToken);
            }
            catch (Exception e) when (e is WorkerApiException or OperationCanceledException)
            {
                logger.LogWarning("Could not ask for more work ({Problem}); finishing the units in hand.", e.Message);
                yield break;
            }

            if (batch.Count == 0)
            {
                yield break;
            }

            yield return batch;
        }
    }

    /// <summary>Why the owner's policy, as the last heartbeat brought it, keeps the device from working now; null when it does not.</summary>
    private string? PolicyRefusal(HeartbeatResponse heartbeat, DeviceConditions current)
    {
        if (heartbeat.Policy is not { } policy)
        {
            return null;
        }

        var decision = policy.Evaluate(current, time.GetUtcNow(), heartbeat.LeaseDuration ?? DefaultLeaseDuration);
        return decision.Allowed ? null : decision.Reason;
    }

    private async Task ReleaseHeldLeasesOnceAsync(CancellationToken cancellationToken)
    {
        if (_heldLeasesReleased)
        {
            return;
        }

        var keep = pending.Load().Select(p => p.LeaseId).ToList();
        try
        {
            var released = await api.ReleaseHeldAsync(keep, cancellationToken);
            if (released.Released > 0)
            {
                logger.LogInformation("Gave back {Count} unfinished unit(s) this device held before it restarted.", released.Released);
            }
        }
        catch (WorkerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A server from before this call: the units come back when their leases run out.
        }

        _heldLeasesReleased = true;
    }

    private async Task<HeartbeatResponse> HeartbeatIfDueAsync(CancellationToken cancellationToken)
    {
        if (_lastHeartbeat is not null && time.GetUtcNow() < _nextHeartbeatAt)
        {
            return _lastHeartbeat;
        }

        var request = new HeartbeatRequest(conditions.Read(), runner.ExecutionProvider);
        _lastHeartbeat = await api.HeartbeatAsync(request, cancellationToken);
        var interval = TimeSpan.FromSeconds(_lastHeartbeat.NextHeartbeatSeconds);
        _nextHeartbeatAt = time.GetUtcNow() + TimeSpan.FromTicks(Math.Clamp(interval.Ticks, MinHeartbeatInterval.Ticks, MaxHeartbeatInterval.Ticks));
        logger.LogDebug("Heartbeat: {Conditions}; server says work = {ShouldWork} ({Reason})", request.Conditions, _lastHeartbeat.ShouldWork, _lastHeartbeat.Reason);
        return _lastHeartbeat;
    }

    private TimeSpan UntilNextHeartbeat()
    {
        var wait = _nextHeartbeatAt - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
