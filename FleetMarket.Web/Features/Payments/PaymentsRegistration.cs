namespace FleetMarket.Web.Features.Payments;

public static class PaymentsRegistration
{
    /// <summary>
    /// Stripe behind one facade. Each capability registers an <see cref="IStripeEventHandler"/> for the webhook events
    /// it cares about; the webhook checks the signature, skips replays and hands each event to its handler.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section);
        services.AddSingleton<StripeGateway>();
        return services;
    }
}
