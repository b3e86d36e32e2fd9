using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Device;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Telemetry;

namespace FleetMarket.Worker.Work;

public static class WorkerServices
{
    /// <summary>Everything <c>run</c> needs except the hosted service that drives it.</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services, WorkerSettings settings, WorkerOptions options)
    {
        services.AddWorkerApi(new WorkerConnection(settings.Server, settings.Credential));
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<WorkerMetrics>();
        services.AddSingleton(options);
        services.AddSingleton(_ => new ExecutionProviderSelector());
        services.AddSingleton(provider => new OnnxModelRunner(provider.GetRequiredService<ExecutionProviderSelector>()));
        services.AddSingleton(_ => new DeviceConditionsProbe(overrides: options.Conditions));
        services.AddSingleton(provider => new ModelFileCache(
            options.ModelCacheDirectory,
            options.ModelCacheMaxBytes,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ModelFileCache>>()));
        services.AddSingleton(provider => new PendingCompletions(options.PendingDirectory, provider.GetRequiredService<ILogger<PendingCompletions>>()));
        services.AddSingleton<CompletionUploader>();
        services.AddSingleton<UnitLeaser>();
        services.AddSingleton<DirectTransfers>();
        services.AddSingleton<UnitPreparer>();
        services.AddSingleton<WorkPipeline>();
        services.AddSingleton<WorkCycle>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<ReferenceBenchmark>();
        services.AddSingleton<CapabilitiesReporter>();
        services.AddSingleton<WorkerExitCode>();
        return services;
    }
}
