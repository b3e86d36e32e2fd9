using FleetMarket.Domain.Money;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Reservations;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.Verification;
using FleetMarket.Web.Features.WorkerDownloads;
using FleetMarket.Web.Features.WorkerProtocol;
using FleetMarket.Web.Marketplace;

namespace FleetMarket.Web.Hosting;

public static class MarketplaceExtensions
{
    /// <summary>The marketplace's feature services and options.</summary>
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
        services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        services.AddWorkerDownloads();
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        services.AddSingleton<IBlobStore, LocalFolderBlobStore>();
        services.AddSingleton<ModelInspector>();
        services.AddSingleton<DevicePresence>();
        services.AddSingleton<DeviceCredentialCache>();
        services.AddSingleton<DeviceRateLimit>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<QueuedWorkInterceptor>();
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService<PresenceFlushService>();

        services.AddScoped<LedgerService>();
        services.AddScoped<EscrowHolds>();
        services.AddScoped<UsageReversals>();
        services.AddScoped<CapacityService>();
        services.AddScoped<ReservationService>();
        services.AddScoped<DeviceService>();
        services.AddScoped<DeviceListing>();
        services.AddScoped<MeasuredScores>();
        services.AddScoped<PairingService>();
        services.AddScoped<DispatchService>();
        services.AddScoped<LeaseWaiter>();
        services.AddScoped<LeaseRenewals>();
        services.AddScoped<CompletionService>();
        services.AddScoped<ResultVerifier>();
        services.AddScoped<UsageMeter>();
        services.AddScoped<CheckWaiver>();
        services.AddSingleton<VerificationDice>();
        services.AddScoped<JobService>();
        services.AddScoped<JobEscrow>();
        services.AddScoped<JobAssembler>();
        services.AddScoped<UnitSizer>();
        services.AddScoped<WaitingRowsCutter>();
        services.AddSingleton<AssemblyKick>();
        services.AddHostedService(provider => provider.GetRequiredService<AssemblyKick>());
        services.AddScoped<BalanceService>();
        services.AddScoped<PayoutService>();
        services.AddScoped<PayoutFactsReader>();
        services.AddScoped<UnclaimedEarnings>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<EarningsService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<OwnerStatements>();
        services.AddScoped<OwnerPayoutHistory>();
        services.AddScoped<FinanceReports>();
        services.AddScoped<OwnerDrillDown>();
        services.AddScoped<Reconciliation>();
        services.AddScoped<CsvExports>();
        return builder;
    }

    public static WebApplication MapMarketplaceApis(this WebApplication app)
    {
        app.MapWorkerApi();
        app.MapJobsApi();
        app.MapBalanceApi();
        app.MapReservationsApi();
        app.MapAccountEndpoints();
        app.MapFinanceExports();
        app.MapStatementsApi();
        app.MapWorkerDownloads();
        return app;
    }
}
