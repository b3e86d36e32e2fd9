using System.Security.Claims;
using System.Threading.RateLimiting;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// The rate-limit policies: pairing and sign-in per client address, the buyer API per buyer (the worker API's,
/// per device, is <see cref="Features.WorkerProtocol.DeviceRateLimit"/>). A refused request gets 429 with a
/// ProblemDetails body saying when to retry.
/// </summary>
public static class RateLimits
{
    public static WebApplicationBuilder AddFleetRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteProblemAsync;
            limiter.AddPolicy(EndpointPolicies.PairingRateLimit, context => PerMinute(Address(context),
                context.RequestServices.GetRequiredService<IOptions<MarketplaceOptions>>().Value.PairingAttemptsPerMinute));

            // The sign-in page is read freely; only posting credentials counts.
            limiter.AddPolicy(EndpointPolicies.SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? PerMinute(Address(context), Limits(context).SignInPerMinute)
                : RateLimitPartition.GetNoLimiter(""));
            limiter.AddPolicy(EndpointPolicies.BuyerApiRateLimit, context => PerMinute(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Credential(context), Limits(context).BuyerApiPerMinute));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });

    private static RateLimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A bearer API key by its hash, so the limiter never holds secrets; else the address.</summary>
    private static string Credential(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? Secrets.Hash(header) : Address(context);

    private static async ValueTask WriteProblemAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        await rejected.HttpContext.Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds):0} seconds.",
        }, options: null, contentType: "application/problem+json", cancellationToken);
    }
}
