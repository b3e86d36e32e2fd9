namespace FleetMarket.Web.Features.Earnings;

public static class EarningsRegistration
{
    /// <summary>Owners' earnings, car-lease cover and monthly statements.</summary>
    public static IServiceCollection AddEarnings(this IServiceCollection services)
    {
        services.AddScoped<EarningsService>();
        services.AddScoped<OwnerStatements>();
        return services;
    }
}
