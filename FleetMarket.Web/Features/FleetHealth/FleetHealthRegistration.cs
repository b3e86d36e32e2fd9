namespace FleetMarket.Web.Features.FleetHealth;

public static class FleetHealthRegistration
{
    /// <summary>The Fleet health page's sampler of the marketplace's meter, and the database reading behind the fleet gauges.</summary>
    public static IServiceCollection AddFleetHealth(this IServiceCollection services)
    {
        services.AddOptions<FleetHealthOptions>().BindConfiguration(FleetHealthOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.FleetQueryInterval >= o.SampleInterval, "FleetHealth:FleetQueryInterval must be at least FleetHealth:SampleInterval.")
            .ValidateOnStart();
        services.AddSingleton<MeterReadings>();
        services.AddScoped<FleetQuery>();
        services.AddSingleton<FleetHealthMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<FleetHealthMonitor>());
        return services;
    }
}
