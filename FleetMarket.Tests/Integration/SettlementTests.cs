using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Money after work: settlement into the ledger, release of escrow, payouts. Own marketplace per test.</summary>
[Collection(AppCollection.Name)]
public sealed class SettlementTests : IAsyncLifetime
{
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>Starts this test's marketplace on <paramref name="database"/>.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database);
        _market = new MarketplaceBuilder(_app);
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
    public async Task Settlement_RunTwice_PostsOnceAndTheLedgerBalances(TestDatabase database)
    {
        Start(database);
        var (device, buyer, jobId) = await CompletedJobAsync();

        await _app.RunRecurringJobAsync(SettlementTask.Id);
        var postingsAfterFirst = await _app.QueryAsync(db => db.Postings.CountAsync());
        await _app.RunRecurringJobAsync(SettlementTask.Id);

        Assert.Equal(postingsAfterFirst, await _app.QueryAsync(db => db.Postings.CountAsync()));
        Assert.Equal(0, await _app.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
        Assert.Equal(0, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.SettledAt == null)));

        var charges = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).SumAsync(u => u.ChargeMinor));
        var ownerShare = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).SumAsync(u => u.ChargeMinor - u.FeeMinor));
        Assert.Equal(ownerShare, await Balance(LedgerAccounts.OwnerEarnings(device.Owner.Id)));
        Assert.Equal(0, await Balance(LedgerAccounts.BuyerEscrow(buyer.Id)));
        Assert.Equal(100_00 - charges, await Balance(LedgerAccounts.BuyerBalance(buyer.Id)));
    }

    [ProviderTheory]
    public async Task PayoutRun_RunTwice_OnePayoutForTheOwnersEarnings_ApprovalPaysItOut(TestDatabase database)
    {
        Start(database);
        var (device, _, _) = await CompletedJobAsync();
        await _app.RunRecurringJobAsync(SettlementTask.Id);
        var earnings = await Balance(LedgerAccounts.OwnerEarnings(device.Owner.Id));

        await _app.RunRecurringJobAsync(PayoutRunTask.Id);
        await _app.RunRecurringJobAsync(PayoutRunTask.Id);

        var payout = await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.OwnerId == device.Owner.Id));
        Assert.Equal(earnings, payout.AmountMinor);
        Assert.Equal(PayoutStatus.PendingReview, payout.Status);

        var finance = await TestUsers.CreateAsync(_app, Roles.Finance);
        await _app.InScopeAsync(s => s.GetRequiredService<PayoutService>().ApproveAsync(new Actor(finance.Id, finance.Email), payout.Id));

        await Eventually.TrueAsync(async () => await Balance(LedgerAccounts.OwnerPayable(device.Owner.Id)) == 0, TimeSpan.FromSeconds(30),
            "the approved payout to be transferred");
        Assert.Equal(0, await Balance(LedgerAccounts.OwnerEarnings(device.Owner.Id)));
        Assert.Equal(earnings, await Balance(LedgerAccounts.ExternalPayouts));
        Assert.Equal(1, await _app.QueryAsync(db => db.AuditLog.CountAsync(e => e.Action == "payout.approve" && e.ActorId == finance.Id)));
        Assert.Equal(0, await _app.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
    }

    [ProviderTheory]
    public async Task Settlement_RejectedOutputs_OwnerIsNotPaid(TestDatabase database)
    {
        Start(database);
        var device = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 4);
        using var client = _market.DeviceClient(device);
        var lease = (await MarketplaceBuilder.LeaseAsync(client))!;
        await MarketplaceBuilder.UploadAsync(client, lease.LeaseId, "garbage"u8.ToArray());

        await _app.RunRecurringJobAsync(SettlementTask.Id);

        Assert.Equal(0, await Balance(LedgerAccounts.OwnerEarnings(device.Owner.Id)));
    }

    private async Task<(PairedDevice Device, TestUser Buyer, Guid JobId)> CompletedJobAsync()
    {
        var device = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync(100_00);
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 6, rowsPerUnit: 4);
        using var client = _market.DeviceClient(device);
        await MarketplaceBuilder.CompleteAllOfferedAsync(client);

        await Eventually.TrueAsync(
            () => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job's outputs to be assembled");
        return (device, buyer, jobId);
    }

    private Task<long> Balance(string account) =>
        _app.QueryAsync(db => db.Postings.Where(p => p.Account == account).SumAsync(p => p.AmountMinor));
}
