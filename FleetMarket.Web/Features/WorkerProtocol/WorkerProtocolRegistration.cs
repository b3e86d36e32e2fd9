namespace FleetMarket.Web.Features.WorkerProtocol;

public static class WorkerProtocolRegistration
{
    /// <summary>The worker's side of the marketplace: presence, leases, long polls, completions and the lease sweep.</summary>
    public static IServiceCollection AddWorkerProtocol(this IServiceCollection services)
    {
        services.AddSingleton<DevicePresence>();
        services.AddSingleton<DeviceRateLimit>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<QueuedWorkInterceptor>();
        services.AddHostedService<PresenceFlushService>();
        services.AddSingleton<LeaseTransfers>();
        services.AddScoped<DispatchService>();
        services.AddScoped<LeaseWaiter>();
        services.AddScoped<LeaseRenewals>();
        services.AddScoped<CompletionService>();
        services.AddScoped<LeaseSweepTask>();
        return services;
    }
}
