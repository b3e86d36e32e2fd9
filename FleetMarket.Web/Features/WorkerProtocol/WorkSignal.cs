namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Tells this node's waiting lease requests that a unit may have become leasable (a job was submitted, a unit
/// given back). Other nodes' waiters do not hear it: they look at the database every
/// <see cref="Marketplace.MarketplaceOptions.LeasePollInterval"/> instead.
/// </summary>
public sealed class WorkSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Pulse"/>. Take it before looking for work, so a pulse in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    // Waiters resume on the thread pool, not inline on the thread that saved the job.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
