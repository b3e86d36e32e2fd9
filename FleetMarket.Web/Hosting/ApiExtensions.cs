using System.Threading.RateLimiting;
using FleetMarket.Web.Features.WorkerProtocol;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using FleetMarket.Web.Data;

namespace FleetMarket.Web.Hosting;

public static class ApiExtensions
{
    /// <summary>ProblemDetails for every error, rate limits for guessable endpoints, health checks.</summary>
    public static WebApplicationBuilder AddFleetApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;

            // Pairing codes are short: a client gets a handful of guesses a minute.
            limiter.AddPolicy(WorkerApi.PairingRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) }));
        });
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<FleetDbContext>("database")
            .AddCheck<HangfireStorageHealthCheck>("hangfire");
        return builder;
    }
}

/// <summary>Healthy when Hangfire's storage answers.</summary>
internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers().Count;
            return Task.FromResult(HealthCheckResult.Healthy($"{servers} Hangfire servers"));
        }
        catch (Exception exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage is unreachable.", exception));
        }
    }
}
