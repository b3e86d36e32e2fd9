using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Settlement;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>The finance console's reports and the reconciliation action, against real settled work.</summary>
[Collection(AppCollection.Name)]
public sealed class FinanceConsoleTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly PayoutBuilder _payouts = new(app);
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task Reports_AfterSettlement_RunsRevenueAndDrillDownShowTheSameMoney()
    {
        var device = await _payouts.OwnerWithAcceptedWorkAsync(await _market.BuyerWithBalanceAsync());
        await app.RunRecurringJobAsync(SettlementTask.Id);
        await app.RunRecurringJobAsync(PayoutRunTask.Id);
        var usage = await app.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.OwnerId == device.Owner.Id).ToListAsync());
        var fees = await app.QueryAsync(db => db.Postings.Where(p => p.Account == LedgerAccounts.PlatformFees).SumAsync(p => p.AmountMinor));

        var runs = await Reports(r => r.SettlementRunsAsync(0, 50));
        var days = await Reports(r => r.RevenueAsync(RevenueInterval.Day));
        var weeks = await Reports(r => r.RevenueAsync(RevenueInterval.Week));
        await _market.SetReliabilityRecordAsync(device.DeviceId, valid: 48, invalid: 2, validStreak: 12);
        var owner = await app.InScopeAsync(s => s.GetRequiredService<OwnerDrillDown>().ReportAsync(device.Owner.Id));

        Assert.True(fees > 0);
        Assert.Equal(await app.QueryAsync(db => db.UsageRecords.CountAsync()), runs.Rows.Sum(r => r.UsageRecords));
        Assert.Equal(fees, runs.Rows.Sum(r => r.Fees.Minor));
        Assert.Equal((FinanceReports.DaysShown, fees), (days.Points.Count, days.Points[^1].Fees.Minor));
        Assert.Equal((FinanceReports.WeeksShown, fees), (weeks.Points.Count, weeks.Total.Minor));
        Assert.Equal(DayOfWeek.Monday, weeks.Points[0].From.DayOfWeek);

        Assert.Equal(device.Owner.Email, owner.Owner.Email);
        Assert.Equal(0, owner.Owner.Earnings.Minor);
        Assert.Equal(usage.Sum(u => u.ChargeMinor - u.FeeMinor), owner.Owner.Payable.Minor);
        // Usage by job: one line per job, with the exact charge beside the whole cents posted.
        var job = Assert.Single(owner.Usage);
        Assert.Equal((usage.Count, usage.Sum(u => u.ChargeMicros), usage.Sum(u => u.ChargeMinor)), (job.Units, job.ChargeMicros, job.Charge.Minor));
        var ownersDevice = Assert.Single(owner.Devices);
        Assert.Equal(device.DeviceId, ownersDevice.Id);
        Assert.Equal((49 / 52.0, true, false), (ownersDevice.Reliability.Score, ownersDevice.Reliability.IsTrusted, ownersDevice.Reliability.IsFailing));
        Assert.Single(owner.Payouts);
        Assert.Contains(owner.Ledger, l => l.Account == LedgerAccounts.OwnerPayable(device.Owner.Id) && l.Amount.Minor == owner.Owner.Payable.Minor);
        // The job's settled usage on one line, then the payout's claim to payable.
        Assert.Equal(2 + 1, owner.Ledger.Count);
        Assert.Equal(usage.Sum(u => u.ChargeMinor - u.FeeMinor), Assert.Single(owner.Ledger, l => l.Usage is not null).Amount.Minor);
    }

    [Fact]
    public async Task PayoutQueue_Reliability_IsTheLowestCheckedScoreAndTheFailingCount_OrNoDevices()
    {
        var (owner, _) = await _payouts.PendingPayoutAsync(40_00);
        var (ownerWithoutDevices, _) = await _payouts.PendingPayoutAsync(12_00);
        var steady = await _market.PairedDeviceOfAsync(owner);
        var failing = await _market.PairedDeviceOfAsync(owner);
        await _market.PairedDeviceOfAsync(owner); // never checked: its smoothed 50 % must not count as the lowest
        await _market.SetReliabilityRecordAsync(steady.DeviceId, valid: 48, invalid: 2);
        await _market.SetReliabilityRecordAsync(failing.DeviceId, valid: 1, invalid: 5);

        var row = await PayoutRowOfAsync(owner);
        var rowWithoutDevices = await PayoutRowOfAsync(ownerWithoutDevices);

        Assert.Equal(new OwnerReliability(Devices: 3, LowestScore: 2 / 8.0, FailingDevices: 1), row.OwnerReliability);
        Assert.Equal(OwnerReliability.NoDevices, rowWithoutDevices.OwnerReliability);
    }

    [Fact]
    public async Task DrillDown_UnknownOwner_IsNotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => app.InScopeAsync(s => s.GetRequiredService<OwnerDrillDown>().ReportAsync("nobody")));

    [Fact]
    public async Task ResolveDifference_WithANote_IsRecordedInTheAuditLog_AndOnlyOnce()
    {
        var finance = await TestUsers.CreateAsync(app, Roles.Finance);
        var actor = new Actor(finance.Id, finance.Email);
        var differenceId = await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FleetDbContext>();
            var difference = new ReconciliationDifference("unknown-to-ledger", $"tr_{Guid.NewGuid():N}", null, 12_00, "Stripe transferred 1200.",
                DateTimeOffset.UtcNow);
            db.ReconciliationDifferences.Add(difference);
            await db.SaveChangesAsync();
            return difference.Id;
        });

        await Assert.ThrowsAsync<DomainException>(() => Reconcile(r => r.ResolveAsync(actor, differenceId, "  ")));
        await Reconcile(r => r.ResolveAsync(actor, differenceId, "Manual transfer for a support case, booked by hand"));
        var again = await Assert.ThrowsAsync<DomainException>(() => Reconcile(r => r.ResolveAsync(actor, differenceId, "twice")));

        Assert.Contains(finance.Email, again.Message);
        var resolved = await app.QueryAsync(db => db.ReconciliationDifferences.AsNoTracking().SingleAsync(d => d.Id == differenceId));
        Assert.Equal(finance.Email, resolved.ResolvedBy);
        var entry = await app.QueryAsync(db => db.AuditLog.AsNoTracking().SingleAsync(e => e.Subject == Web.Features.Finance.Reconciliation.Subject(differenceId)));
        Assert.Equal((Web.Features.Finance.Reconciliation.ResolveAction, finance.Id, "Manual transfer for a support case, booked by hand"),
            (entry.Action, entry.ActorId, entry.Reason));
        Assert.Equal(0, (await Reconcile(r => r.ListAsync(includeResolved: false, 0, 50))).Rows.Count(d => d.Id == differenceId));
        Assert.Equal(1, (await Reconcile(r => r.ListAsync(includeResolved: true, 0, 50))).Rows.Count(d => d.Id == differenceId));
    }

    private async Task<PayoutRow> PayoutRowOfAsync(TestUser owner) =>
        Assert.Single((await app.InScopeAsync(s => s.GetRequiredService<PayoutService>().QueryAsync(new PayoutQuery(Owner: owner.Email)))).Rows);

    private Task<T> Reports<T>(Func<FinanceReports, Task<T>> query) => app.InScopeAsync(s => query(s.GetRequiredService<FinanceReports>()));

    private Task<T> Reconcile<T>(Func<Web.Features.Finance.Reconciliation, Task<T>> action) =>
        app.InScopeAsync(s => action(s.GetRequiredService<Web.Features.Finance.Reconciliation>()));

    private Task Reconcile(Func<Web.Features.Finance.Reconciliation, Task> action) =>
        app.InScopeAsync(s => action(s.GetRequiredService<Web.Features.Finance.Reconciliation>()));
}
