using FleetMarket.Web.Data;

namespace FleetMarket.Web.Features.Settlement;

public static class SettlementRegistration
{
    /// <summary>Metering accepted work and settling it on the ledger, in the SQL of the database in use.</summary>
    public static IServiceCollection AddSettlement(this IServiceCollection services, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.SqlServer)
        {
            services.AddScoped<IUsageSettlement, SqlServerUsageSettlement>();
        }
        else
        {
            services.AddScoped<IUsageSettlement, SqliteUsageSettlement>();
        }

        services.AddScoped<UsageMeter>();
        services.AddScoped<UsageReversals>();
        services.AddScoped<SettlementTask>();
        return services;
    }
}
