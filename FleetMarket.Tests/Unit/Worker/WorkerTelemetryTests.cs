using FleetMarket.Worker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>A device exports telemetry only where its owner configured an OTLP endpoint.</summary>
public sealed class WorkerTelemetryTests
{
    [Fact]
    public void AddWorkerTelemetry_NoEndpoint_ExportsNothing()
    {
        using var services = Build(endpoint: null);

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void AddWorkerTelemetry_WithEndpoint_ExportsMetricsAndTraces()
    {
        using var services = Build(endpoint: "http://127.0.0.1:4317");

        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<TracerProvider>());
    }

    private static ServiceProvider Build(string? endpoint)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WorkerTelemetry.OtlpEndpointVariable] = endpoint })
            .Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddWorkerTelemetry(configuration, Guid.NewGuid()).BuildServiceProvider();
    }
}
