using FleetMarket.Domain.Money;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.FleetHealth;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Reservations;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.Verification;
using FleetMarket.Web.Features.WorkerDownloads;
using FleetMarket.Web.Features.WorkerProtocol;
using FleetMarket.Web.Marketplace;
using FleetMarket.Web.Telemetry;

namespace FleetMarket.Web.Hosting;

public static class MarketplaceExtensions
{
    /// <summary>The marketplace's settings and every capability, each registering its own services.</summary>
    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MarketplaceOptions>().BindConfiguration(MarketplaceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxUnitDuration >= o.LeaseDuration, "Marketplace:MaxUnitDuration must be at least Marketplace:LeaseDuration.")
            .Validate(o => o.MaxUnitDuration >= o.UnitTargetDuration, "Marketplace:MaxUnitDuration must be at least Marketplace:UnitTargetDuration.")
            .Validate(o => IsoCurrency.TryFind(o.Currency, out _),
                $"Marketplace:Currency must be one the marketplace accepts: {string.Join(", ", IsoCurrency.All.Select(c => c.Code))}.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddBlobStorage(builder.Configuration);
        services.AddSingleton<MarketplaceMetrics>();

        services.AddAccounts();
        services.AddApiKeys();
        services.AddAudit();
        services.AddLedger();
        services.AddBalance();
        services.AddDevices();
        services.AddWorkerProtocol();
        services.AddWorkerDownloads();
        services.AddJobs();
        services.AddVerification();
        services.AddReservations();
        services.AddSettlement(DatabaseOptions.ProviderIn(builder.Configuration));
        services.AddPayouts();
        services.AddEarnings();
        services.AddFinance();
        services.AddPayments();
        services.AddFleetHealth();
        return builder;
    }

    public static WebApplication MapMarketplaceApis(this WebApplication app)
    {
        app.MapWorkerApi();
        app.MapJobsApi();
        app.MapVerificationApi();
        app.MapBalanceApi();
        app.MapReservationsApi();
        app.MapAccountEndpoints();
        app.MapFinanceExports();
        app.MapStatementsApi();
        app.MapWorkerDownloads();
        app.MapStripeWebhook();
        return app;
    }
}
