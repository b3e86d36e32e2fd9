namespace FleetMarket.Web.Features.Verification;

public static class VerificationRegistration
{
    /// <summary>Checking results: replicas, the vote and waived checks.</summary>
    public static IServiceCollection AddVerification(this IServiceCollection services)
    {
        services.AddSingleton<VerificationDice>();
        services.AddScoped<ResultVerifier>();
        services.AddScoped<CheckWaiver>();
        return services;
    }
}
