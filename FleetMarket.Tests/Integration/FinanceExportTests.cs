using System.Net;
using CsvHelper;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>The finance CSV exports read back, with CsvHelper, to exactly what the database holds.</summary>
[Collection(AppCollection.Name)]
public sealed class FinanceExportTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly PayoutBuilder _payouts = new(app);

    [Fact]
    public async Task PayoutsCsv_ParsedBack_MatchesThePayoutsInTheDatabase_NotesWithCommasAndQuotesIntact()
    {
        var (flagged, flaggedId) = await _payouts.PendingPayoutAsync(12_34, PayoutAnomalies.HighRejectionRate | PayoutAnomalies.FarAboveUsual);
        var (_, plainId) = await _payouts.PendingPayoutAsync(5_00);
        var (_, formulaId) = await _payouts.PendingPayoutAsync(1, email: $"+sum-{Guid.NewGuid():N}@example.test");
        var financeUser = await TestUsers.CreateAsync(app, Roles.Finance);
        var reviewer = new Actor(financeUser.Id, financeUser.Email);
        const string reason = "Checking \"odd\" metering, then release;\nsecond line, too";
        await Payouts(s => s.HoldAsync(reviewer, flaggedId, reason));
        await Payouts(s => s.ApproveAsync(reviewer, plainId, "fine"));
        await Eventually.TrueAsync(() => app.QueryAsync(db => db.Payouts.AnyAsync(p => p.Id == plainId && p.Status == PayoutStatus.Paid)),
            TimeSpan.FromSeconds(30), "the approved payout to be paid (simulated)");
        using var finance = await TestUsers.SignedInClientAsync(app, financeUser);

        var response = await finance.GetAsync(FinanceExportsApi.PayoutsPath);
        var rows = await ReadAsync<PayoutCsvRow>(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var stored = await app.QueryAsync(db => db.Payouts.AsNoTracking().ToListAsync());
        var emails = await app.QueryAsync(db => db.Users.ToDictionaryAsync(u => u.Id, u => u.Email!));
        Assert.Equal(stored.Select(p => p.Id).Order(), rows.Select(r => r.Id).Order());
        foreach (var payout in stored)
        {
            var row = rows.Single(r => r.Id == payout.Id);
            Assert.Equal(payout.OwnerId, row.OwnerId);
            Assert.Equal(payout.Status, row.Status);
            Assert.Equal(payout.AmountMinor, row.AmountMinor);
            Assert.Equal(payout.AmountMinor, row.Amount * 100);
            Assert.Equal(payout.Currency, row.Currency);
            Assert.Equal(payout.RunDate, row.RunDate);
            Assert.Equal(payout.PayBy, row.PayBy);
            Assert.Equal(payout.Anomalies, row.Anomalies);
            Assert.Equal(Seconds(payout.CreatedAt), row.CreatedAt);
            Assert.Equal(payout.ReviewedBy, row.ReviewedBy);
            Assert.Equal(payout.ReviewNote, row.ReviewNote);
            Assert.Equal(payout.TransferId, row.TransferId);
            Assert.Equal(payout.Simulated, row.Simulated);
            Assert.Equal(payout.PaidAt is { } paid ? Seconds(paid) : null, row.PaidAt);
            if (payout.Id != formulaId)
            {
                Assert.Equal(emails[payout.OwnerId], row.OwnerEmail);
            }
        }

        Assert.Equal(reason, rows.Single(r => r.Id == flaggedId).ReviewNote);
        Assert.Equal(flagged.Email, rows.Single(r => r.Id == flaggedId).OwnerEmail);
        Assert.Equal(PayoutStatus.Paid, rows.Single(r => r.Id == plainId).Status);
        // A spreadsheet would run a cell that starts with "+" as a formula: it is written as text.
        Assert.Equal($"'{emails[stored.Single(p => p.Id == formulaId).OwnerId]}", rows.Single(r => r.Id == formulaId).OwnerEmail);
    }

    [Fact]
    public async Task PayoutsCsv_OneStatus_HasOnlyThatStatus()
    {
        var (_, heldId) = await _payouts.PendingPayoutAsync(7_00);
        var financeUser = await TestUsers.CreateAsync(app, Roles.Finance);
        await Payouts(s => s.HoldAsync(new Actor(financeUser.Id, financeUser.Email), heldId, "look closer"));
        using var finance = await TestUsers.SignedInClientAsync(app, financeUser);

        var rows = await ReadAsync<PayoutCsvRow>(await finance.GetAsync($"{FinanceExportsApi.PayoutsPath}?status=Held"));

        Assert.Contains(rows, r => r.Id == heldId);
        Assert.All(rows, r => Assert.Equal(PayoutStatus.Held, r.Status));
    }

    [Fact]
    public async Task PostingsCsv_Today_HoldsEveryPostingOfTodayAndBalances_AnEarlierRangeHoldsNone()
    {
        await _payouts.PendingPayoutAsync(3_21);
        using var finance = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var rows = await ReadAsync<PostingCsvRow>(await finance.GetAsync($"{FinanceExportsApi.PostingsPath}?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}"));
        var before = await ReadAsync<PostingCsvRow>(await finance.GetAsync($"{FinanceExportsApi.PostingsPath}?from=2020-01-01&to=2020-01-31"));

        var stored = await app.QueryAsync(db => db.Postings.AsNoTracking().ToListAsync());
        Assert.Equal(stored.Select(p => (p.TransactionId, p.Account, p.AmountMinor)).Order(), rows.Select(r => (r.TransactionId, r.Account, r.AmountMinor)).Order());
        Assert.Equal(0, rows.Sum(r => r.AmountMinor));
        Assert.All(rows, r => Assert.Equal(r.AmountMinor, r.Amount * 100));
        Assert.Contains(rows, r => r.Cause.StartsWith("Earnings claimed by payout") && r.AmountMinor == 3_21);
        Assert.Empty(before);
    }

    [Fact]
    public async Task UsageCsv_Today_HasEveryAcceptedUnitWithItsExactCharge_BesideTheWholeCentsItPosted()
    {
        // A tenth of a second a unit at 3.00 an hour: about a hundredth of a cent each, most posting nothing.
        var device = await _payouts.OwnerWithAcceptedWorkAsync(await new MarketplaceBuilder(app).BuyerWithBalanceAsync(), rows: 12, rowsPerUnit: 1,
            computeMillisecondsPerUnit: 123);
        using var finance = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var rows = (await ReadAsync<UsageCsvRow>(await finance.GetAsync($"{FinanceExportsApi.UsagePath}?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}")))
            .Where(r => r.OwnerId == device.Owner.Id).ToList();

        var stored = await app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.OwnerId == device.Owner.Id).ToListAsync());
        Assert.Equal(12, rows.Count);
        Assert.Equal(stored.Select(u => (u.Id, u.ChargeMicros, u.ChargeMinor, u.FeeMinor)).Order(),
            rows.Select(r => (r.Id, r.ChargeMicros, r.ChargeMinor, r.FeeMinor)).Order());
        Assert.All(rows, r => Assert.Equal(10_250, r.ChargeMicros));
        Assert.Equal(0, rows.Sum(r => r.ChargeMinor));
    }

    [Theory]
    [InlineData(FinanceExportsApi.PostingsPath + "?to=9999-12-31")]
    [InlineData(FinanceExportsApi.PostingsPath + "?to=0001-01-01")]
    [InlineData(FinanceExportsApi.PostingsPath + "?from=0001-01-01&to=2020-01-01")]
    [InlineData(FinanceExportsApi.PayoutsPath + "?from=2020-01-01&to=9999-12-31")]
    public async Task Export_DateAtTheCalendarsEdge_Is400ProblemNamingTheAllowedRange(string url)
    {
        using var finance = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));

        var response = await finance.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Dates must lie between 2000-01-01 and 9998-12-31", await response.Content.ReadAsStringAsync());
    }

    private Task Payouts(Func<PayoutService, Task> action) => app.InScopeAsync(s => action(s.GetRequiredService<PayoutService>()));

    private static async Task<List<T>> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        // An empty field is how the export writes a missing value.
        using var csv = CsvReader.Create(body, new CsvReaderOptions { NullValues = [""] });
        return csv.GetRecords<T>().ToList();
    }

    private static DateTimeOffset Seconds(DateTimeOffset at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Offset);
}
