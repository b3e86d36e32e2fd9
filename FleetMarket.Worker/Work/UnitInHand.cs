using FleetMarket.Protocol;

namespace FleetMarket.Worker.Work;

/// <summary>
/// A leased unit from the moment its lease arrives until its result is answered or the unit is given back. Its
/// lease is renewed all that time, waiting in a queue included (<see cref="LeaseKeeper"/>); its work is cancelled when
/// the lease is lost, or when a stop has been asked for and <see cref="Configuration.WorkerOptions.ShutdownGrace"/> has passed.
/// </summary>
public sealed class UnitInHand : IAsyncDisposable
{
    private readonly CancellationTokenSource work;
    private readonly CancellationTokenRegistration onStop;
    private readonly IAsyncDisposable renewing;

    public UnitInHand(WorkUnitLease lease, LeaseKeeper keeper, TimeSpan shutdownGrace, TimeProvider time, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(keeper);
        Lease = lease;
        work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        onStop = stoppingToken.Register(() => work.CancelAfter(shutdownGrace));
        renewing = keeper.Keep(lease, work);
    }

    public WorkUnitLease Lease { get; }

    /// <summary>Cancelled when the unit's work must stop.</summary>
    public CancellationToken Token => work.Token;

    /// <summary>Where its time went, for the log: the pipeline exists to hide the fetch and the upload behind the run.</summary>
    public UnitTimings Timings { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await renewing.DisposeAsync();
        await onStop.DisposeAsync();
        work.Dispose();
    }
}
