using FleetMarket.Protocol;

namespace FleetMarket.Worker.Work;

/// <summary>
/// A leased unit from the moment its lease arrives until its result is answered or the unit is given back. Its
/// lease is renewed all that time, waiting in a queue included (<see cref="LeaseKeeper"/>); its work is cancelled when
/// the lease is lost, or when a stop has been asked for and <see cref="Configuration.WorkerOptions.ShutdownGrace"/> has passed.
/// </summary>
public sealed class UnitInHand : IAsyncDisposable
{
    private readonly CancellationTokenSource _work;
    private readonly CancellationTokenRegistration _onStop;
    private readonly IAsyncDisposable _renewing;

    public UnitInHand(WorkUnitLease lease, LeaseKeeper keeper, TimeSpan shutdownGrace, TimeProvider time, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(keeper);
        Lease = lease;
        _work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _onStop = stoppingToken.Register(() => _work.CancelAfter(shutdownGrace));
        _renewing = keeper.Keep(lease, _work);
    }

    public WorkUnitLease Lease { get; }

    /// <summary>Cancelled when the unit's work must stop.</summary>
    public CancellationToken Token => _work.Token;

    /// <summary>Where its time went, for the log: the pipeline exists to hide the fetch and the upload behind the run.</summary>
    public UnitTimings Timings { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _renewing.DisposeAsync();
        await _onStop.DisposeAsync();
        _work.Dispose();
    }
}
