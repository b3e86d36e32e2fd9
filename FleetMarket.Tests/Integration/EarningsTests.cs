using FleetMarket.Domain;
using FleetMarket.Domain.Money;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Earnings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class EarningsTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task Report_AfterAcceptedWork_ShowsTheOwnersShareAgainstTheCarPayment()
    {
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 300);
        var buyer = await _market.BuyerWithBalanceAsync();
        await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 2);
        using var client = _market.DeviceClient(device);
        await MarketplaceBuilder.CompleteAllOfferedAsync(client);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Earnings(s => s.SaveCarPaymentPlanAsync(device.Owner.Id, new CarPaymentPlanInput("Tesla Finance", new Money(1_00, "USD"), 15, today.AddMonths(-2), today.AddYears(2))));
        var report = await Earnings(s => s.ReportAsync(device.Owner.Id));

        var share = await app.QueryAsync(db => db.UsageRecords.Where(u => u.OwnerId == device.Owner.Id).SumAsync(u => u.ChargeMinor - u.FeeMinor));
        Assert.True(share > 0);
        Assert.Equal(share, report.Days[^1].Earned.Minor);
        Assert.Equal(share, report.Months[^1].Earned.Minor);
        Assert.Equal(1_00, report.Months[^1].CarPayment.Minor);
        Assert.Equal((int)(share * 10_000 / 1_00), report.Months[^1].CoveredBasisPoints);
        Assert.Equal("Tesla Finance", report.PaymentPlan!.Lessor);
        Assert.True(Assert.Single(report.Utilisation).Percent >= 0);
    }

    [Fact]
    public async Task SaveCarPaymentPlan_EndBeforeStart_IsRefusedAndNothingIsStored()
    {
        var owner = await TestUsers.CreateAsync(app, FleetMarket.Domain.Accounts.Roles.Owner);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        await Assert.ThrowsAsync<DomainException>(() =>
            Earnings(s => s.SaveCarPaymentPlanAsync(owner.Id, new CarPaymentPlanInput("Bank", new Money(300_00, "USD"), 1, today, today.AddDays(-1)))));

        Assert.False(await app.QueryAsync(db => db.CarPaymentPlans.AnyAsync(l => l.OwnerId == owner.Id)));
    }

    private Task<T> Earnings<T>(Func<EarningsService, Task<T>> action) =>
        app.InScopeAsync(s => action(s.GetRequiredService<EarningsService>()));

    private Task Earnings(Func<EarningsService, Task> action) =>
        app.InScopeAsync(s => action(s.GetRequiredService<EarningsService>()));
}
