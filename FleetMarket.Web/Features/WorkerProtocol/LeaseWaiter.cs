using FleetMarket.Protocol;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Long polling: a lease request that finds nothing stays open and is answered as soon as a unit becomes
/// leasable. This node's own saves wake it at once (<see cref="WorkSignal"/>); units queued by another node,
/// or leases that ran out, are seen at the next look every <see cref="MarketplaceOptions.LeasePollInterval"/>.
/// </summary>
public sealed class LeaseWaiter(DispatchService dispatch, WorkSignal signal, TimeProvider time, IOptions<MarketplaceOptions> marketplace,
    IHostApplicationLifetime lifetime)
{
    /// <param name="maxUnits">The most units to hand out; the answer comes as soon as there is at least one.</param>
    public async Task<IReadOnlyList<WorkUnitLease>> LeaseAsync(AuthenticatedDevice device, LeaseRequest? request, int maxUnits,
        CancellationToken cancellationToken)
    {
        // Bounded at the edge: LeaseRequest's validation.
        var waitSeconds = request?.WaitSeconds ?? 0;
        // A stopping node answers its waiters at once rather than holding its shutdown for them.
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var deadline = time.GetUtcNow().AddSeconds(waitSeconds);
        while (true)
        {
            var pulse = signal.Next;
            var leases = await dispatch.LeaseAsync(device, request?.Conditions, maxUnits, cancellationToken);
            var left = deadline - time.GetUtcNow();
            if (leases.Count > 0 || left <= TimeSpan.Zero || waiting.IsCancellationRequested)
            {
                return leases;
            }

            var poll = marketplace.Value.LeasePollInterval;
            await Task.WhenAny(pulse, Task.Delay(left < poll ? left : poll, time, waiting.Token));
        }
    }
}
