namespace FleetMarket.Web.Features.Jobs;

public static class JobsRegistration
{
    /// <summary>Inference jobs: submission, holds, unit sizing and assembling outputs.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<ModelInspector>();
        services.AddScoped<JobService>();
        services.AddSingleton<BuyerUploads>();
        services.AddScoped<JobEscrow>();
        services.AddScoped<JobAssembler>();
        services.AddScoped<UnitSizer>();
        services.AddScoped<WaitingRowsCutter>();
        services.AddSingleton<AssemblyKick>();
        services.AddHostedService(provider => provider.GetRequiredService<AssemblyKick>());
        return services;
    }
}
