using System.Collections.Concurrent;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// The worker API's limit per device: a fixed one-minute window per authenticated device, counted without a
/// shared lock. ASP.NET Core's partitioned limiter replenishes every partition under one lock, ten times a
/// second; with a thousand devices that lock serialised the hot path and cost a third of its throughput.
/// </summary>
public sealed class DeviceRateLimit(TimeProvider time, IOptions<RateLimitOptions> options) : IEndpointFilter
{
    private readonly ConcurrentDictionary<Guid, Window> _windows = new();

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
    }
}
