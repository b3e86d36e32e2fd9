using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>build-payouts with the production minimum: who is paid, when it must land, and what is flagged.</summary>
[Collection(AppCollection.Name)]
public sealed class PayoutRunTests : IAsyncLifetime
{
    private FleetApp _app = null!;

    /// <summary>Starts this test's marketplace on <paramref name="database"/>.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database, new()
        {
            ["Payouts:MinimumPayoutMinor"] = "2000",
            ["Payouts:LeaseDueWithinDays"] = "7",
            ["Payouts:NewDeviceEarningsLimitMinor"] = "1",
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task EarningsBelowTheMinimum_WaitForALaterRun_UnlessTheCarPaymentIsNear(TestDatabase database)
    {
        Start(database);
        var waiting = await OwnerWithEarningsAsync();
        var paymentDueSoon = await OwnerWithEarningsAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var dueDay = today.AddDays(2).Day <= 28 ? today.AddDays(2).Day : 1;
        await _app.InScopeAsync(s => s.GetRequiredService<EarningsService>().SaveCarPaymentPlanAsync(paymentDueSoon.Id,
            new CarPaymentPlanInput("Tesla Finance", new Money(450_00, Currencies.Usd), dueDay, today.AddMonths(-6), today.AddYears(2))));
        var seen = await _app.InScopeAsync(s => s.GetRequiredService<UnclaimedEarnings>().WaitingAsync());

        await _app.RunRecurringJobAsync(PayoutRunTask.Id);

        // What finance saw before the run: both owners' earnings, and which of them the run would pay.
        Assert.False(seen.Single(w => w.Earnings.OwnerId == waiting.Id).PaidNextRun);
        Assert.Null(seen.Single(w => w.Earnings.OwnerId == waiting.Id).Earnings.CarPaymentDueDate);
        Assert.True(seen.Single(w => w.Earnings.OwnerId == paymentDueSoon.Id).PaidNextRun);
        Assert.Equal([waiting.Id], (await _app.InScopeAsync(s => s.GetRequiredService<UnclaimedEarnings>().WaitingAsync())).Select(w => w.Earnings.OwnerId));

        Assert.False(await _app.QueryAsync(db => db.Payouts.AnyAsync(p => p.OwnerId == waiting.Id)));
        var payout = await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.OwnerId == paymentDueSoon.Id));
        var due = today.Day <= dueDay ? new DateOnly(today.Year, today.Month, dueDay) : new DateOnly(today.Year, today.Month, dueDay).AddMonths(1);
        Assert.True(payout.PayBy < due, $"pay by {payout.PayBy}, due {due}");
        Assert.True(payout.PayBy >= today);
        Assert.Equal(0, await Balance(LedgerAccounts.OwnerEarnings(paymentDueSoon.Id)));
        Assert.Equal(payout.AmountMinor, await Balance(LedgerAccounts.OwnerPayable(paymentDueSoon.Id)));
        Assert.True(payout.Anomalies.HasFlag(PayoutAnomalies.NewDeviceLargeEarnings), "a device paired today already earned above the limit");
    }

    private async Task<TestUser> OwnerWithEarningsAsync()
    {
        var market = new MarketplaceBuilder(_app);
        var device = await market.PairedDeviceAsync(askingPricePerHourMinor: 250);
        var buyer = await market.BuyerWithBalanceAsync();
        await market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 2);
        using (var worker = market.DeviceClient(device))
        {
            await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
        }

        await _app.RunRecurringJobAsync(SettlementTask.Id);
        return device.Owner;
    }

    private Task<long> Balance(string account) =>
        _app.InScopeAsync(async s => (await s.GetRequiredService<LedgerService>().BalanceAsync(account, "USD")).Minor);
}
