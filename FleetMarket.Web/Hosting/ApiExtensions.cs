using System.Text.Json.Serialization;
using FleetMarket.Web.Data;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetMarket.Web.Hosting;

public static class ApiExtensions
{
    /// <summary>
    /// ProblemDetails for every error, enums by name, request validation by the DataAnnotations on bodies, queries and forms
    /// (a 400 naming each field; limits in <see cref="Domain.Validation.FieldLimits"/>), rate limits for guessable
    /// endpoints, health checks.
    /// </summary>
    public static WebApplicationBuilder AddFleetApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddValidation();
        builder.Services.AddOpenApi();

        // "status":"Completed", not 3, and OpenAPI lists the names. Numbers are still read, as clients sent them before.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.AddFleetRateLimits();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<FleetDbContext>("database")
            .AddCheck<HangfireStorageHealthCheck>("hangfire");
        return builder;
    }

    /// <summary>
    /// People get the friendly not-found page; API callers get problem+json written in place (a re-executed POST
    /// would reach the page's form handling and turn a 401 into a confusing 400).
    /// </summary>
    public static WebApplication UseFleetStatusPages(this WebApplication app)
    {
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"),
            api => api.UseStatusCodePages(StatusCodeProblems.WriteAsync));
        return app;
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
