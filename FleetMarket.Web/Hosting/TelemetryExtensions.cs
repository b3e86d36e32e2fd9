using FleetMarket.Domain.Accounts;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FleetMarket.Web.Hosting;

public static class TelemetryExtensions
{
    /// <summary>Prometheus's scrape endpoint, for the Admin role only: it shows the fleet's size and traffic.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The standard variable the OTLP exporter reads; when it is set, metrics and traces go there too.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry: the marketplace's meter, ASP.NET Core's, HttpClient's and the runtime's, always scraped at
    /// <see cref="MetricsPath"/>. With an OTLP endpoint configured, metrics go there as well, with traces of requests,
    /// EF Core commands and background tasks; without one no trace is recorded, so the hot paths carry no spans.
    /// </summary>
    public static WebApplicationBuilder AddFleetTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fleetmarket-web", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Telemetry.MarketplaceMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(BackgroundTaskTracing.SourceName)
                // Blazor's circuit is one long request per visitor: a span of minutes says nothing.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/_blazor"))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter());
        }

        return builder;
    }

    public static WebApplication MapFleetMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Roles.Admin);
        return app;
    }
}
