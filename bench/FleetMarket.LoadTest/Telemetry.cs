using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using FleetMarket.Web.Telemetry;
using HdrHistogram;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetMarket.LoadTest;

/// <summary>What the process did over a window: CPU, GC, allocations, exceptions, lock contention, threads.</summary>
internal sealed record RuntimeSnapshot(
    long Timestamp,
    TimeSpan Cpu,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    long Allocated,
    long Exceptions,
    long LockContentions,
    int Threads)
{
    private static long _exceptions;

    /// <summary>Counts every exception thrown in the process, caught or not: each costs tens of microseconds.</summary>
    public static void CountExceptions() => AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref _exceptions);

    public static RuntimeSnapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new RuntimeSnapshot(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.CollectionCount(0), GC.CollectionCount(1),
            GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), Interlocked.Read(ref _exceptions),
            Monitor.LockContentionCount, ThreadPool.ThreadCount);
    }
}

/// <summary>The difference of two <see cref="RuntimeSnapshot"/>s.</summary>
internal sealed record RuntimeUsage(RuntimeSnapshot Before, RuntimeSnapshot After)
{
    public TimeSpan Wall => Stopwatch.GetElapsedTime(Before.Timestamp, After.Timestamp);

    /// <summary>Share of all cores, 0 to 1.</summary>
    public double CpuShare => (After.Cpu - Before.Cpu) / (Wall * Environment.ProcessorCount);

    public TimeSpan Cpu => After.Cpu - Before.Cpu;

    public long Allocated => After.Allocated - Before.Allocated;

    public TimeSpan GcPause => After.GcPause - Before.GcPause;

    public int Gen0 => After.Gen0 - Before.Gen0;

    public int Gen1 => After.Gen1 - Before.Gen1;

    public int Gen2 => After.Gen2 - Before.Gen2;

    public long Exceptions => After.Exceptions - Before.Exceptions;

    public long LockContentions => After.LockContentions - Before.LockContentions;
}

/// <summary>Server-side milliseconds of one route; <paramref name="Over100Ms"/> counts requests that took 100 ms or more.</summary>
internal sealed record ServerLatency(long Count, double P50, double P99, double P999, double Max, long Over100Ms);

/// <summary>
/// Server-side request durations by route, from ASP.NET Core's own <c>http.server.request.duration</c> metric, so
/// the server's time can be told apart from the client's (both share the same cores).
/// </summary>
internal sealed class ServerRequestMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, LongConcurrentHistogram> _byRoute = new();
    private volatile bool _recording;

    public ServerRequestMetrics()
    {
        _listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public void Clear() => _byRoute.Clear();

    /// <summary>Milliseconds at the percentiles, or NaN where the route saw no request.</summary>
    public ServerLatency Of(string route) =>
        _byRoute.TryGetValue(route, out var histogram) && histogram.TotalCount > 0
            ? new ServerLatency(histogram.TotalCount, histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0,
                histogram.GetValueAtPercentile(99.9) / 1000.0, histogram.GetMaxValue() / 1000.0,
                histogram.TotalCount - histogram.RecordedValues().Where(v => v.ValueIteratedTo < 100_000).Sum(v => v.CountAtValueIteratedTo))
            : new ServerLatency(0, double.NaN, double.NaN, double.NaN, double.NaN, 0);

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_recording)
        {
            return;
        }

        var route = "(none)";
        foreach (var tag in tags)
        {
            if (tag.Key == "http.route" && tag.Value is string value)
            {
                route = value;
            }
        }

        _byRoute.GetOrAdd(route, _ => new LongConcurrentHistogram(1, 60_000_000, 3))
            .RecordValue(Math.Clamp((long)(seconds * 1_000_000), 1, 60_000_000));
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Bytes of blobs the web node moved, from the app's own meter: relayed (inputs served to devices, outputs uploaded in
/// completions) and read back (outputs a device put in object storage, read by the node to check them); and the
/// results it took, so that bytes per unit are counted on the server's side of the window at both ends.
/// </summary>
internal sealed class NodeTraffic : IDisposable
{
    /// <summary>The <c>outcome</c> of a result stored and judged (CompletionService's, which keeps its names to itself).</summary>
    private const string Taken = "taken";

    private readonly MeterListener _listener = new();
    private long _relayed;
    private long _readBack;
    private long _taken;
    private volatile bool _recording;

    public NodeTraffic()
    {
        _listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == MarketplaceMetrics.MeterName
                && instrument.Name is MarketplaceMetrics.BytesRelayed or MarketplaceMetrics.BytesReadBack or MarketplaceMetrics.Completions)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public long Relayed => Interlocked.Read(ref _relayed);

    public long ReadBack => Interlocked.Read(ref _readBack);

    /// <summary>Results the server took (stored and judged), not those it refused or that came after their lease ran out.</summary>
    public long UnitsTaken => Interlocked.Read(ref _taken);

    public void Clear()
    {
        Interlocked.Exchange(ref _relayed, 0);
        Interlocked.Exchange(ref _readBack, 0);
        Interlocked.Exchange(ref _taken, 0);
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_recording)
        {
            return;
        }

        switch (instrument.Name)
        {
            case MarketplaceMetrics.BytesRelayed:
                Interlocked.Add(ref _relayed, value);
                break;
            case MarketplaceMetrics.BytesReadBack:
                Interlocked.Add(ref _readBack, value);
                break;
            default:
                foreach (var tag in tags)
                {
                    if (tag is { Key: "outcome", Value: Taken })
                    {
                        Interlocked.Add(ref _taken, value);
                    }
                }

                break;
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Where the server's database time goes: every EF Core command (by its SQL, literals and parameters folded),
/// transaction commit and connection open, timed by EF Core's own diagnostics.
/// </summary>
internal sealed partial class DatabaseBreakdown : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private readonly ConcurrentDictionary<string, string> _sql = new();
    private readonly List<IDisposable> _subscriptions = [];
    private volatile bool _recording;

    public DatabaseBreakdown() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public IReadOnlyList<(string What, long Count, double TotalMilliseconds, double MeanMilliseconds, double MaxMilliseconds, long Over100Ms)> Rows =>
        _entries.Select(pair => (pair.Key, pair.Value.Count, pair.Value.TotalTicks / (double)TimeSpan.TicksPerMillisecond,
                pair.Value.TotalTicks / (double)TimeSpan.TicksPerMillisecond / Math.Max(1, pair.Value.Count),
                pair.Value.MaxTicks / (double)TimeSpan.TicksPerMillisecond, pair.Value.Over100Ms))
            .OrderByDescending(row => row.Item3)
            .ToList();

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (!_recording)
        {
            return;
        }

        switch (value.Value)
        {
            case CommandExecutedEventData executed:
                var sql = executed.Command.CommandText;
                var shape = Fold(sql);
                Add(shape, executed.Duration);
                _sql.TryAdd(shape, sql);
                break;
            case TransactionEndEventData ended when value.Key == RelationalEventId.TransactionCommitted.Name:
                Add("(transaction commit)", ended.Duration);
                break;
            case ConnectionEndEventData opened when value.Key == RelationalEventId.ConnectionOpened.Name:
                Add("(connection open)", opened.Duration);
                break;
        }
    }

    /// <summary>The full SQL of each statement shape, to ask SQLite for its query plan.</summary>
    public IReadOnlyDictionary<string, string> Statements => _sql.ToDictionary(pair => pair.Key, pair => pair.Value);

    /// <summary>Forgets the counts (not the statements' SQL), so that each run is timed on its own.</summary>
    public void Clear() => _entries.Clear();

    private Entry Add(string what, TimeSpan duration)
    {
        var entry = _entries.GetOrAdd(what, _ => new Entry());
        Interlocked.Increment(ref entry.Count);
        Interlocked.Add(ref entry.TotalTicks, duration.Ticks);
        if (duration >= TimeSpan.FromMilliseconds(100))
        {
            Interlocked.Increment(ref entry.Over100Ms);
        }

        long seen;
        while (duration.Ticks > (seen = Interlocked.Read(ref entry.MaxTicks))
               && Interlocked.CompareExchange(ref entry.MaxTicks, duration.Ticks, seen) != seen)
        {
        }

        return entry;
    }

    /// <summary>One line per statement shape: whitespace collapsed, quoted names unquoted, cut to a readable length.</summary>
    private static string Fold(string sql)
    {
        var text = Whitespace().Replace(sql.Replace("\"", string.Empty, StringComparison.Ordinal), " ").Trim();
        return text.Length <= 110 ? text : text[..107] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(subscription => subscription.Dispose());
        }
    }

    private sealed class Entry
    {
        public long Count;
        public long TotalTicks;
        public long MaxTicks;
        public long Over100Ms;
    }
}
