using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Device;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

public static class WorkerServices
{
    /// <summary>Everything <c>run</c> needs except the hosted service that drives it.</summary>
    public static IServiceCollection AddWorker(this IServiceCollection services, WorkerSettings settings)
    {
        services.AddWorkerApi(new WorkerConnection(settings.Server, settings.Credential));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new ExecutionProviderSelector());
        services.AddSingleton(provider => new OnnxModelRunner(provider.GetRequiredService<ExecutionProviderSelector>()));
        services.AddSingleton(_ => new DeviceConditionsProbe());
        services.AddSingleton<WorkUnitProcessor>();
        services.AddSingleton<WorkCycle>();
        services.AddSingleton<WorkerExitCode>();
        return services;
    }
}
