using System.Diagnostics.Metrics;
using FleetMarket.Web.Telemetry;

namespace FleetMarket.Web.Features.FleetHealth;

/// <summary>This node's running totals of the marketplace's counters.</summary>
public readonly record struct MeterTotals(long Leases, long UnitsTaken, long Rejected, long BytesRelayed, long LeaseAnswers);

/// <summary>
/// Listens to this app's <see cref="MarketplaceMetrics"/> as an exporter would, and keeps what the Fleet health page
/// draws: running totals, and the most recent lease answer times for percentiles. Each measurement costs an
/// interlocked add; nothing is allocated on the recording path.
/// </summary>
public sealed class MeterReadings : IDisposable
{
    /// <summary>Lease answer times kept for percentiles: the most recent of each sample period, a power of two.</summary>
    private const int LatencyRing = 4096;

    private readonly MeterListener _listener = new();
    private readonly Total _leases = new();
    private readonly Total _taken = new() { Outcome = "taken" };
    private readonly Total _rejected = new();
    private readonly Total _relayed = new();
    private readonly double[] _latencies = new double[LatencyRing];
    private long _latencyCount;

    public MeterReadings(MarketplaceMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Tests run several apps in one process, each with a meter of the same name: only this app's counts.
            if (!ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                return;
            }

            object? state = instrument.Name switch
            {
                MarketplaceMetrics.Leases => _leases,
                MarketplaceMetrics.Completions => _taken,
                MarketplaceMetrics.ResultsRejected => _rejected,
                MarketplaceMetrics.BytesRelayed => _relayed,
                MarketplaceMetrics.LeaseDuration => _latencies,
                _ => null,
            };
            if (state is not null)
            {
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.SetMeasurementEventCallback<double>(OnLatency);
        _listener.Start();
    }

    public MeterTotals Totals => new(Volatile.Read(ref _leases.Value), Volatile.Read(ref _taken.Value), Volatile.Read(ref _rejected.Value),
        Volatile.Read(ref _relayed.Value), Volatile.Read(ref _latencyCount));

    /// <summary>The lease answer times recorded after the <paramref name="from"/>th up to the <paramref name="to"/>th, at most the ring's worth.</summary>
    public double[] LatenciesBetween(long from, long to)
    {
        var count = (int)Math.Min(to - from, LatencyRing);
        var values = new double[Math.Max(0, count)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _latencies[(to - values.Length + i) & (LatencyRing - 1)];
        }

        return values;
    }

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (state is Total total && (total.Outcome is null || HasOutcome(tags, total.Outcome)))
        {
            Interlocked.Add(ref total.Value, value);
        }
    }

    private void OnLatency(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var slot = Interlocked.Increment(ref _latencyCount) - 1;
        _latencies[slot & (LatencyRing - 1)] = seconds;
    }

    private static bool HasOutcome(ReadOnlySpan<KeyValuePair<string, object?>> tags, string outcome)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                return (string?)tag.Value == outcome;
            }
        }

        return false;
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Total
    {
        public long Value;

        /// <summary>Counts only measurements with this outcome tag; all when null.</summary>
        public string? Outcome { get; init; }
    }
}
