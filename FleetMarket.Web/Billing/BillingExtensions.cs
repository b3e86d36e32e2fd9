namespace FleetMarket.Web.Billing;

public static class BillingExtensions
{
    /// <summary>Stripe behind one facade, one handler per webhook event type.</summary>
    public static WebApplicationBuilder AddBilling(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section);
        builder.Services.AddSingleton<StripeGateway>();
        builder.Services.AddScoped<PayoutAccountService>();
        builder.Services.AddScoped<IStripeEventHandler, AccountUpdatedHandler>();
        builder.Services.AddScoped<IStripeEventHandler, CheckoutSessionCompletedHandler>();
        builder.Services.AddScoped<IStripeEventHandler, TransferCreatedHandler>();
        builder.Services.AddScoped<IStripeEventHandler, TransferReversedHandler>();
        builder.Services.AddScoped<IStripeEventHandler, PayoutPaidHandler>();
        builder.Services.AddScoped<IStripeEventHandler, PayoutFailedHandler>();
        return builder;
    }
}
