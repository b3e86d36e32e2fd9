namespace FleetMarket.Web.Features.Ledger;

public static class LedgerRegistration
{
    /// <summary>Balances and escrow holds on the double-entry ledger.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddScoped<LedgerService>();
        services.AddScoped<EscrowHolds>();
        return services;
    }
}
