using FleetMarket.Web.Telemetry;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.FleetHealth;

/// <summary>One point of the Fleet health charts: this node's rates over a sample period, and the fleet's figures at the time.</summary>
/// <param name="LeaseMilliseconds">The 50th, 95th and 99th percentile of lease answer times in the period; null when no device asked.</param>
public sealed record FleetPoint(DateTimeOffset At, double UnitsPerSecond, double LeasesPerSecond, long Rejected,
    LatencyPercentiles? LeaseMilliseconds, FleetState? Fleet);

public sealed record LatencyPercentiles(double P50, double P95, double P99);

/// <summary>What the Fleet health page shows: the last fleet reading, the recent points, and this node's totals since it started.</summary>
public sealed record FleetHealthView(FleetState? Fleet, IReadOnlyList<FleetPoint> Points, MeterTotals Totals, DateTimeOffset Since,
    TimeSpan SampleInterval, TimeSpan FleetQueryInterval);

/// <summary>
/// Samples the marketplace's meter every <see cref="FleetHealthOptions.SampleInterval"/> into a short history, and reads
/// the fleet's figures from the database every <see cref="FleetHealthOptions.FleetQueryInterval"/> into
/// <see cref="MarketplaceMetrics.Fleet"/>, where the gauges and the page find them.
/// </summary>
public sealed class FleetHealthMonitor(MeterReadings readings, MarketplaceMetrics metrics, IServiceScopeFactory scopes, TimeProvider time,
    IOptions<FleetHealthOptions> options, ILogger<FleetHealthMonitor> logger) : BackgroundService
{
    private readonly Queue<FleetPoint> _points = new();
    private readonly Lock _pointsLock = new();
    private readonly DateTimeOffset _since = time.GetUtcNow();

    public FleetHealthView View()
    {
        lock (_pointsLock)
        {
            var settings = options.Value;
            return new FleetHealthView(metrics.Fleet, [.. _points], readings.Totals, _since, settings.SampleInterval, settings.FleetQueryInterval);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var last = readings.Totals;
        var lastAt = time.GetTimestamp();
        DateTimeOffset? lastQuery = null;
        using var timer = new PeriodicTimer(settings.SampleInterval, time);
        do
        {
            var now = time.GetUtcNow();
            if (lastQuery is null || now - lastQuery >= settings.FleetQueryInterval)
            {
                lastQuery = now;
                await ReadFleetAsync(stoppingToken);
            }

            var totals = readings.Totals;
            var seconds = Math.Max(time.GetElapsedTime(lastAt).TotalSeconds, 0.001);
            lastAt = time.GetTimestamp();
            var point = new FleetPoint(now, (totals.UnitsTaken - last.UnitsTaken) / seconds, (totals.Leases - last.Leases) / seconds,
                totals.Rejected - last.Rejected, Percentiles(readings.LatenciesBetween(last.LeaseAnswers, totals.LeaseAnswers)), metrics.Fleet);
            last = totals;
            lock (_pointsLock)
            {
                _points.Enqueue(point);
                while (_points.Count > settings.PointsKept)
                {
                    _points.Dequeue();
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReadFleetAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            metrics.Fleet = await scope.ServiceProvider.GetRequiredService<FleetQuery>().ReadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The figures stay at their last reading; the page says how old it is.
            logger.LogWarning(e, "Could not read the fleet's figures; trying again in {Interval}.", options.Value.FleetQueryInterval);
        }
    }

    private static LatencyPercentiles? Percentiles(double[] seconds)
    {
        if (seconds.Length == 0)
        {
            return null;
        }

        Array.Sort(seconds);
        double At(double share) => seconds[Math.Min(seconds.Length - 1, (int)Math.Ceiling(share * seconds.Length) - 1)] * 1000;
        return new LatencyPercentiles(At(0.50), At(0.95), At(0.99));
    }
}
