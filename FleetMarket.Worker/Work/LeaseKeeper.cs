using FleetMarket.Protocol;
using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Renews a lease every third of its period while its unit runs and uploads, so a long unit keeps its lease
/// while a vanished device's unit goes back to the queue within about one period. When the server refuses a
/// renewal (the lease ran out, the owner's policy ends work now), the unit's work is cancelled: another device
/// has it or will. A renewal that does not get through is tried again at the next tick.
/// </summary>
public sealed class LeaseKeeper(WorkerApiClient api, TimeProvider time, ILogger<LeaseKeeper> logger)
{
    /// <summary>Keeps <paramref name="lease"/> alive until disposed; cancels <paramref name="work"/> if the lease is lost.</summary>
    public IAsyncDisposable Keep(WorkUnitLease lease, CancellationTokenSource work)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.LeaseSeconds is { } seconds and > 0
            ? new Renewing(this, lease.LeaseId, TimeSpan.FromSeconds(seconds) / 3, work)
            : NotRenewing.Instance;
    }

    private async Task RenewUntilStoppedAsync(Guid leaseId, TimeSpan every, CancellationTokenSource work, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stop);
                await api.RenewAsync(leaseId, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (WorkerApiException e) when (e.IsDefinitive)
            {
                logger.LogWarning("Lease {LeaseId} was not renewed ({Problem}); stopping its unit.", leaseId, e.Message);
                await work.CancelAsync();
                return;
            }
            catch (WorkerApiException e)
            {
                logger.LogWarning("Could not renew lease {LeaseId} ({Problem}); trying again in {Wait}.", leaseId, e.Message, every);
            }
        }
    }

    private sealed class Renewing : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Renewing(LeaseKeeper keeper, Guid leaseId, TimeSpan every, CancellationTokenSource work) =>
            _renewing = keeper.RenewUntilStoppedAsync(leaseId, every, work, _stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
        }
    }

    private sealed class NotRenewing : IAsyncDisposable
    {
        public static readonly NotRenewing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
