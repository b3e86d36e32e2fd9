namespace FleetMarket.Web.Features.Finance;

public static class FinanceRegistration
{
    /// <summary>Finance staff's reports, drill-downs, exports and Stripe reconciliation.</summary>
    public static IServiceCollection AddFinance(this IServiceCollection services)
    {
        services.AddScoped<FinanceReports>();
        services.AddScoped<OwnerDrillDown>();
        services.AddScoped<Reconciliation>();
        services.AddScoped<CsvExports>();
        services.AddScoped<ReconcileStripeTask>();
        return services;
    }
}
