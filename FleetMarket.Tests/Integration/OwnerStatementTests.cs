using System.Net;
using CsvHelper;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Earnings;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>An owner's monthly statement adds up, and only its owner can download it.</summary>
[Collection(AppCollection.Name)]
public sealed class OwnerStatementTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();
    private readonly PayoutBuilder _payouts;
    private readonly MarketplaceBuilder _market;

    public OwnerStatementTests()
    {
        _payouts = new PayoutBuilder(_app);
        _market = new MarketplaceBuilder(_app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Statement_MonthWithUsageAndAPaidPayout_AddsUp_AndOnlyItsOwnerGetsIt()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var device = await _payouts.OwnerWithAcceptedWorkAsync(buyer);
        var owner = device.Owner;
        await _payouts.CarPaymentPlanAsync(owner, monthlyPaymentMinor: 50);
        await _app.RunRecurringJobAsync(SettlementTask.Id);
        await _app.RunRecurringJobAsync(PayoutRunTask.Id);
        var payout = await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.OwnerId == owner.Id));
        var finance = await TestUsers.CreateAsync(_app, Roles.Finance);
        await _app.InScopeAsync(s => s.GetRequiredService<PayoutService>().ApproveAsync(new Actor(finance.Id, finance.Email), payout.Id));
        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Payouts.AnyAsync(p => p.Id == payout.Id && p.Status == PayoutStatus.Paid)),
            TimeSpan.FromSeconds(30), "the approved payout to be paid");
        var usage = await _app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.OwnerId == owner.Id).ToListAsync());
        var month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1);

        var statement = await _app.InScopeAsync(s => s.GetRequiredService<OwnerStatements>().StatementAsync(owner.Id, month));

        var charged = usage.Sum(u => u.ChargeMinor);
        var fees = usage.Sum(u => u.FeeMinor);
        Assert.True(fees > 0);
        Assert.Equal(usage.Count, statement.UsageRecords);
        Assert.Equal(charged, statement.Charged.Minor);
        Assert.Equal(fees, statement.Fees.Minor);
        Assert.Equal(charged - fees, statement.Earned.Minor);
        Assert.Equal(0, statement.Reversed.Minor);
        Assert.Equal(charged - fees, statement.NetEarned.Minor);
        // The payout claimed everything the month earned, and was paid this month.
        Assert.Equal(payout.AmountMinor, statement.PaidOut.Minor);
        Assert.Equal(statement.NetEarned.Minor, statement.PaidOut.Minor);
        Assert.True(Assert.Single(statement.Payouts).Simulated);
        Assert.Equal(50, statement.CarPayment.Minor);
        Assert.Equal((int)Math.Min(99_900, (charged - fees) * 10_000 / 50), statement.CarPaymentCoveredBasisPoints);

        using var ownerClient = await TestUsers.SignedInClientAsync(_app, owner);
        var lines = await ReadAsync(await ownerClient.GetAsync(StatementsApi.PathFor(month)));
        Assert.All(lines, l => Assert.Equal($"{month:yyyy-MM}", l.Month));
        Assert.Equal(charged, Line(lines, "Charged to buyers").AmountMinor);
        Assert.Equal(-fees, Line(lines, "Platform fee").AmountMinor);
        Assert.Equal(Line(lines, "Charged to buyers").AmountMinor + Line(lines, "Platform fee").AmountMinor, Line(lines, "Your earnings").AmountMinor);
        Assert.Equal(Line(lines, "Your earnings").AmountMinor + Line(lines, "Work reversed").AmountMinor, Line(lines, "Net earnings").AmountMinor);
        Assert.Equal(payout.AmountMinor, Line(lines, "Payout of run").AmountMinor);
        Assert.Contains("(simulated)", Line(lines, "Payout of run").Item);
        Assert.Equal(payout.AmountMinor, Line(lines, "Paid out to you").AmountMinor);
        Assert.Equal(50, Line(lines, "Lease payment to Tesla Finance").AmountMinor);
        Assert.Equal(statement.CarPaymentCoveredBasisPoints * 0.01m, Line(lines, "Lease covered").Percent);
        Assert.All(lines.Where(l => l.AmountMinor is not null), l => Assert.Equal(l.AmountMinor, l.Amount * 100));

        // Another owner asking for the same month gets their own, empty statement: the address names no owner.
        var other = await TestUsers.CreateAsync(_app, Roles.Owner);
        using var otherClient = await TestUsers.SignedInClientAsync(_app, other);
        var theirs = await ReadAsync(await otherClient.GetAsync(StatementsApi.PathFor(month)));
        Assert.Equal(0, Line(theirs, "Charged to buyers").AmountMinor);
        Assert.Equal(0, Line(theirs, "Paid out to you").AmountMinor);
        Assert.DoesNotContain(theirs, l => l.Item.StartsWith("Payout of run") || l.Item.StartsWith("Lease"));
    }

    [Fact]
    public async Task Statement_MonthBeforeAnyWork_IsAllZeros()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var device = await _payouts.OwnerWithAcceptedWorkAsync(buyer, rows: 2);
        var lastMonth = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).AddMonths(-1);

        var statement = await _app.InScopeAsync(s => s.GetRequiredService<OwnerStatements>().StatementAsync(device.Owner.Id, lastMonth));

        Assert.Equal((0, 0L, 0L, 0L), (statement.UsageRecords, statement.Charged.Minor, statement.NetEarned.Minor, statement.PaidOut.Minor));
        Assert.Null(statement.CarPaymentCoveredBasisPoints);
    }

    private static StatementCsvLine Line(IEnumerable<StatementCsvLine> lines, string startsWith) =>
        Assert.Single(lines, l => l.Item.StartsWith(startsWith, StringComparison.Ordinal));

    private static async Task<List<StatementCsvLine>> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var csv = CsvReader.Create(body, new CsvReaderOptions { NullValues = [""] });
        return csv.GetRecords<StatementCsvLine>().ToList();
    }
}
