namespace FleetMarket.Web.Features.WorkerDownloads;

public static class WorkerDownloadsRegistration
{
    /// <summary>The published worker builds that owners download.</summary>
    public static IServiceCollection AddWorkerDownloads(this IServiceCollection services)
    {
        services.AddOptions<WorkerDownloadsOptions>().BindConfiguration(WorkerDownloadsOptions.Section);
        services.AddSingleton<WorkerBuilds>();
        return services;
    }
}
