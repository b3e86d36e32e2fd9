using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FleetMarket.Worker.Telemetry;

public static class WorkerTelemetry
{
    /// <summary>The standard variable the OTLP exporter reads (with OTEL_EXPORTER_OTLP_PROTOCOL and the other OTEL_ settings).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// With an OTLP endpoint configured, the worker's metrics and spans (and its HTTP calls to the marketplace) go there,
    /// named by the device. Without one nothing is exported and no span is recorded: an owner's device sends nothing
    /// anywhere but to the marketplace unless its owner says so.
    /// </summary>
    public static IServiceCollection AddWorkerTelemetry(this IServiceCollection services, IConfiguration configuration, Guid deviceId)
    {
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fleetmarket-worker", serviceInstanceId: deviceId.ToString()))
            .WithMetrics(metrics => metrics.AddMeter(WorkerMetrics.MeterName).AddHttpClientInstrumentation().AddOtlpExporter())
            .WithTracing(tracing => tracing.AddSource(WorkerMetrics.MeterName).AddHttpClientInstrumentation().AddOtlpExporter());
        return services;
    }
}
