namespace FleetMarket.Web.Features.Accounts;

public static class AccountsRegistration
{
    /// <summary>People's accounts and roles, and the demo accounts' settings (seeded in Development only).</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        services.AddScoped<AccountService>();
        return services;
    }
}
