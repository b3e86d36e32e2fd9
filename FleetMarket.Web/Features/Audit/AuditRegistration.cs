namespace FleetMarket.Web.Features.Audit;

public static class AuditRegistration
{
    /// <summary>The audit log of people's decisions.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditTrail>();
        return services;
    }
}
