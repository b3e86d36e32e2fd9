using FleetMarket.Web.Features.Payments;

namespace FleetMarket.Web.Features.Balance;

public static class BalanceRegistration
{
    /// <summary>Buyers' balances, their history and top-ups by card.</summary>
    public static IServiceCollection AddBalance(this IServiceCollection services)
    {
        services.AddScoped<BalanceService>();
        services.AddScoped<IStripeEventHandler, CheckoutSessionCompletedHandler>();
        return services;
    }
}
