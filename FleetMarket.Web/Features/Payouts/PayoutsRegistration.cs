using FleetMarket.Web.Features.Payments;

namespace FleetMarket.Web.Features.Payouts;

public static class PayoutsRegistration
{
    /// <summary>Payout runs, their review and execution, payout accounts and Stripe's news of transfers and bank payouts.</summary>
    public static IServiceCollection AddPayouts(this IServiceCollection services)
    {
        services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<PayoutService>();
        services.AddScoped<PayoutFactsReader>();
        services.AddScoped<UnclaimedEarnings>();
        services.AddScoped<OwnerPayoutHistory>();
        services.AddScoped<PayoutRunTask>();
        services.AddScoped<PayoutExecutor>();
        services.AddScoped<PayoutAccountService>();
        services.AddScoped<IStripeEventHandler, AccountUpdatedHandler>();
        services.AddScoped<IStripeEventHandler, TransferCreatedHandler>();
        services.AddScoped<IStripeEventHandler, TransferReversedHandler>();
        services.AddScoped<IStripeEventHandler, PayoutPaidHandler>();
        services.AddScoped<IStripeEventHandler, PayoutFailedHandler>();
        return services;
    }
}
