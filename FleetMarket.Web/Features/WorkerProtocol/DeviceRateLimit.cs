using System.Collections.Concurrent;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// The worker API's limit per device: a fixed one-minute window per authenticated device, counted without a
/// shared lock. ASP.NET Core's partitioned limiter replenishes every partition under one lock, ten times a
/// second; with a thousand devices that lock serialised the hot path and cost a third of its throughput.
/// The limit is on chatter, not on work: each unit handed out gives back the requests its own cadence needs
/// (<see cref="RequestsPerUnit"/>), so a worker running small units back to back never hears 429, while one
/// that asks without working does.
/// </summary>
public sealed class DeviceRateLimit(TimeProvider time, IOptions<RateLimitOptions> options) : IEndpointFilter
{
    /// <summary>A unit's own requests: its lease, its input, its model (at most once), its completion.</summary>
    public const int RequestsPerUnit = 4;

    private readonly ConcurrentDictionary<Guid, Window> _windows = new();

    /// <summary>The device was handed units: the requests those units take do not count against its limit.</summary>
    public void CreditLeasedUnits(Guid deviceId, int units)
    {
        if (units > 0 && _windows.TryGetValue(deviceId, out var window))
        {
            window.Credit(RequestsPerUnit * units);
        }
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<AuthenticatedDevice>() is not { } device)
        {
            return await next(context);
        }

        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var window = _windows.GetOrAdd(device.DeviceId, _ => new Window());
        if (window.Admit(minute, options.Value.WorkerPerMinute))
        {
            return await next(context);
        }

        var retryAfter = 60 - (int)(time.GetUtcNow().ToUnixTimeSeconds() % 60);
        context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"Slow down: try again in {retryAfter} seconds.",
        });
    }

    /// <summary>One device's count in the current minute; only that device's own requests contend for it.</summary>
    private sealed class Window
    {
        private readonly Lock _gate = new();
        private long _minute;
        private int _count;

        public bool Admit(long minute, int limit)
        {
            lock (_gate)
            {
                if (_minute != minute)
                {
                    (_minute, _count) = (minute, 0);
                }

                return ++_count <= limit;
            }
        }

        /// <summary>Never below zero: credit is spent on the unit's requests as they come, not saved up for later chatter.</summary>
        public void Credit(int requests)
        {
            lock (_gate)
            {
                _count = Math.Max(0, _count - requests);
            }
        }
    }
}
