using System.Net.Http.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Protocol;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Builders;

/// <summary>Owners with money to pay: earned through real work, or a payout put straight in front of finance staff.</summary>
public sealed class PayoutBuilder(FleetApp app)
{
    private readonly MarketplaceBuilder _market = new(app);

    /// <summary>
    /// An owner whose device worked honestly through a buyer's job, each unit metered at two minutes so it is worth a few
    /// cents and the platform's fee is above zero: usage records now, earnings once settle-usage runs, a payout once
    /// build-payouts runs.
    /// </summary>
    public async Task<PairedDevice> OwnerWithAcceptedWorkAsync(TestUser buyer, int rows = 6, int rowsPerUnit = 2,
        long computeMillisecondsPerUnit = 120_000)
    {
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 300);
        using var client = _market.DeviceClient(device);
        (await client.PostAsJsonAsync(WorkerRoutes.Capabilities,
            new DeviceCapabilities(["CPUExecutionProvider"], "CPUExecutionProvider", 85_000_000, "test", "Linux"))).EnsureSuccessStatusCode();
        await _market.SubmitSampleJobAsync(buyer, rows, rowsPerUnit);
        while (await MarketplaceBuilder.LeaseAsync(client) is { } lease)
        {
            var outputs = await MarketplaceBuilder.HonestOutputsAsync(client, lease);
            (await MarketplaceBuilder.UploadAsync(client, lease.LeaseId, outputs, computeMillisecondsPerUnit)).EnsureSuccessStatusCode();
        }

        return device;
    }

    /// <summary>
    /// A payout awaiting review, as a payout run would have built it (with its claim on the owner's earnings in the
    /// ledger), but with the anomaly flags and amount the test needs.
    /// </summary>
    public async Task<(TestUser Owner, Guid PayoutId)> PendingPayoutAsync(long amountMinor, PayoutAnomalies anomalies = PayoutAnomalies.None,
        string? email = null)
    {
        var owner = await TestUsers.CreateAsync(app, Roles.Owner, email);
        var payoutId = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<FleetDbContext>();
            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var payout = new Payout(owner.Id, amountMinor, Currencies.Usd, today, today.AddDays(2), anomalies, now);
            db.Payouts.Add(payout);
            await services.GetRequiredService<LedgerService>().TryAddAsync(SettlementEntries.ClaimForPayout(payout, now));
            await db.SaveChangesAsync();
            return payout.Id;
        });
        return (owner, payoutId);
    }

    public Task CarPaymentPlanAsync(TestUser owner, long monthlyPaymentMinor, int dueDay = 15)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return app.InScopeAsync(services => services.GetRequiredService<EarningsService>()
            .SaveCarPaymentPlanAsync(owner.Id, new CarPaymentPlanInput("Tesla Finance", new Money(monthlyPaymentMinor, Currencies.Usd), dueDay, today.AddMonths(-3), today.AddYears(2))));
    }
}
