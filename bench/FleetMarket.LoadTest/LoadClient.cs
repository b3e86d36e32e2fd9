using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace FleetMarket.LoadTest;

/// <summary>Latency and outcome counts of one kind of request, over the measured window only.</summary>
/// <param name="route">The app's route template that serves it, for its server-side latency; null for requests to others.</param>
internal sealed class OperationStats(string name, string? route = null)
{
    /// <summary>Microseconds, 1 µs to 60 s, three significant digits.</summary>
    private readonly LongConcurrentHistogram _latency = new(1, 60_000_000, 3);
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private long _succeeded;

    public string Name => name;

    public string? Route => route;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Requests => _latency.TotalCount;

    public IReadOnlyDictionary<string, long> Errors => _errors;

    public long ErrorCount => _errors.Values.Sum();

    public void Record(long microseconds, string? error)
    {
        _latency.RecordValue(Math.Clamp(microseconds, 1, 60_000_000));
        if (error is null)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            _errors.AddOrUpdate(error, 1, (_, count) => count + 1);
        }
    }

    /// <summary>An answer that came back 2xx but says no (a completion not accepted, an empty queue).</summary>
    public void CountOutcome(string outcome) => _errors.AddOrUpdate(outcome, 1, (_, count) => count + 1);

    public double PercentileMilliseconds(double percentile) =>
        _latency.TotalCount == 0 ? double.NaN : _latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMilliseconds => _latency.TotalCount == 0 ? double.NaN : _latency.GetMaxValue() / 1000.0;

    public double MeanMilliseconds => _latency.TotalCount == 0 ? double.NaN : _latency.GetMean() / 1000.0;
}

/// <summary>A response read to its end inside the timed region.</summary>
/// <param name="Counted">Whether the request fell inside the measured window (and so is in the figures).</param>
internal readonly record struct Reply(HttpStatusCode Status, byte[] Body, bool Failed, bool Counted = false)
{
    public bool IsSuccess => !Failed && (int)Status is >= 200 and < 300;
}

/// <summary>
/// HTTP/1.1 keep-alive clients shared by every simulated device: one connection pool sized to the concurrency,
/// and a gate that keeps at most that many requests in flight. A request is timed from the moment it passes the
/// gate until its response body has been read, so the figures are the server's latency under that concurrency,
/// not the time a device waited for its turn on the client.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly HttpClient _http;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;

    /// <param name="baseAddress">The server that relative URLs go to; null for a client of absolute URLs only.</param>
    public LoadClient(Uri? baseAddress, int concurrency)
    {
        _gate = new SemaphoreSlim(concurrency, concurrency);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestVersion = HttpVersion.Version11;
        _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
    }

    /// <summary>Requests that start from now on, and end before <see cref="CloseWindow"/>, are counted.</summary>
    public void OpenWindow() => Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());

    public void CloseWindow() => Volatile.Write(ref _windowEnd, Stopwatch.GetTimestamp());

    public TimeSpan Window => Stopwatch.GetElapsedTime(_windowStart, _windowEnd);

    public async Task<Reply> SendAsync(OperationStats stats, HttpRequestMessage request, CancellationToken stopping)
    {
        await _gate.WaitAsync(stopping);
        var started = Stopwatch.GetTimestamp();
        Reply reply;
        string? error;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            reply = new Reply(response.StatusCode, body, Failed: false);
            error = reply.IsSuccess ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            reply = new Reply(0, [], Failed: true);
            error = exception.GetType().Name;
        }
        finally
        {
            _gate.Release();
            request.Dispose();
        }

        var ended = Stopwatch.GetTimestamp();
        if (started >= Volatile.Read(ref _windowStart) && ended < Volatile.Read(ref _windowEnd))
        {
            stats.Record((long)Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds, error);
            return reply with { Counted = true };
        }

        return reply;
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
