namespace FleetMarket.Web.Features.ApiKeys;

public static class ApiKeysRegistration
{
    /// <summary>Buyers' API keys.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddScoped<ApiKeyService>();
        return services;
    }
}
