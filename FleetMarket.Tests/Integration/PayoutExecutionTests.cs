using System.Net;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>execute-payout, Stripe transfers and their webhooks, and reconcile-stripe, against the loopback Stripe stub.</summary>
[Collection(AppCollection.Name)]
public sealed class PayoutExecutionTests : IAsyncLifetime
{
    private readonly StripeStub _stripe = new();
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>Starts this test's marketplace on <paramref name="database"/>, its Stripe calls going to the stub.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database, _stripe.AppSettings);
        _market = new MarketplaceBuilder(_app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _stripe.DisposeAsync();
    }

    [ProviderTheory]
    public async Task Approve_TransfersToTheOwnersAccount_WithThePayoutIdAsIdempotencyKey_AndPostsIt(TestDatabase database)
    {
        Start(database);
        var (payout, account) = await PayoutAwaitingReviewAsync();
        var finance = await TestUsers.CreateAsync(_app, Roles.Finance);

        await _app.InScopeAsync(s => s.GetRequiredService<PayoutService>().ApproveAsync(new Actor(finance.Id, finance.Email), payout.Id));

        var paid = await PaidAsync(payout.Id);
        var request = Assert.Single(_stripe.Requests, r => r.StartsWith("POST /v1/transfers"));
        Assert.Equal($"POST /v1/transfers amount={payout.AmountMinor} currency=usd destination={account} idempotency=payout-{payout.Id}", request);
        Assert.False(paid.Simulated);
        Assert.Equal(_stripe.Transfers.Values.Single(t => t.PayoutId == payout.Id.ToString()).Id, paid.TransferId);
        Assert.Equal(0, await Balance(LedgerAccounts.OwnerPayable(payout.OwnerId)));
        var posted = await _app.QueryAsync(db => db.LedgerTransactions.Include(t => t.Postings).SingleAsync(t => t.IdempotencyKey == $"payout:{payout.Id}"));
        Assert.Contains(posted.Postings, p => p.Account == LedgerAccounts.StripeClearing && p.AmountMinor == payout.AmountMinor);
    }

    [ProviderTheory]
    public async Task Executor_DiedAfterStripeTransferred_RerunGetsTheSameTransfer_PaysOnceAndPostsOnce(TestDatabase database)
    {
        Start(database);
        var (payout, account) = await PayoutAwaitingReviewAsync();
        await ApproveWithoutRunningAsync(payout.Id);

        // The first run reached Stripe, then its process died before it could record anything.
        var first = await _app.InScopeAsync(s => s.GetRequiredService<StripeGateway>()
            .TransferAsync(payout.Id, payout.AmountMinor, payout.Currency, account, CancellationToken.None));
        await RunExecutorAsync(payout.Id);
        await RunExecutorAsync(payout.Id);

        var paid = await PaidAsync(payout.Id);
        Assert.Equal(first.Id, paid.TransferId);
        Assert.Single(_stripe.Transfers.Values, t => t.PayoutId == payout.Id.ToString());
        Assert.Equal(2, _stripe.Requests.Count(r => r.Contains($"idempotency=payout-{payout.Id}")));
        Assert.Equal(1, await _app.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == $"payout:{payout.Id}")));
    }

    [Fact]
    public async Task TransferCreatedWebhook_ForAPayoutWhoseExecutorDied_RecordsItPaidWithoutASecondTransfer()
    {
        Start(TestDatabase.Sqlite);
        var (payout, account) = await PayoutAwaitingReviewAsync();
        await ApproveWithoutRunningAsync(payout.Id);
        await _app.InScopeAsync(s => s.GetRequiredService<StripeGateway>()
            .TransferAsync(payout.Id, payout.AmountMinor, payout.Currency, account, CancellationToken.None));
        var transfer = _stripe.Transfers.Values.Single(t => t.PayoutId == payout.Id.ToString());
        using var client = _app.NewClient();

        var delivered = await StripeStub.PostWebhookAsync(client, StripeStub.TransferEvent($"evt_{Guid.NewGuid():N}", "transfer.created", transfer));
        await RunExecutorAsync(payout.Id);

        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(transfer.Id, (await PaidAsync(payout.Id)).TransferId);
        Assert.Equal(1, _stripe.Requests.Count(r => r.Contains($"idempotency=payout-{payout.Id}")));
        Assert.Equal(0, await Balance(LedgerAccounts.OwnerPayable(payout.OwnerId)));
    }

    [ProviderTheory]
    public async Task TransferReversedWebhook_ReplayedTwice_PayoutFails_OwnerIsOwedItAgainOnce(TestDatabase database)
    {
        Start(database);
        var (payout, _) = await PayoutAwaitingReviewAsync();
        await ApproveWithoutRunningAsync(payout.Id);
        await RunExecutorAsync(payout.Id);
        var transfer = _stripe.Transfers.Values.Single(t => t.PayoutId == payout.Id.ToString()) with { AmountReversed = payout.AmountMinor };
        var reversed = StripeStub.TransferEvent($"evt_{Guid.NewGuid():N}", "transfer.reversed", transfer);
        using var client = _app.NewClient();

        await StripeStub.PostWebhookAsync(client, reversed);
        await StripeStub.PostWebhookAsync(client, StripeStub.TransferEvent($"evt_{Guid.NewGuid():N}", "transfer.reversed", transfer));

        var failed = await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payout.Id));
        Assert.Equal(PayoutStatus.Failed, failed.Status);
        Assert.Equal(payout.AmountMinor, await Balance(LedgerAccounts.OwnerEarnings(payout.OwnerId)));
        Assert.Equal(0, await _app.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
    }

    [ProviderTheory]
    public async Task StripeRefusesTheTransfer_PayoutFails_AndItsMoneyGoesBackToTheOwnersEarnings(TestDatabase database)
    {
        Start(database);
        var (payout, _) = await PayoutAwaitingReviewAsync();
        await ApproveWithoutRunningAsync(payout.Id);
        _stripe.RefuseTransfers = true;

        await RunExecutorAsync(payout.Id);

        var failed = await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payout.Id));
        Assert.Equal(PayoutStatus.Failed, failed.Status);
        Assert.Contains("Insufficient funds", failed.FailureReason);
        Assert.Equal(payout.AmountMinor, await Balance(LedgerAccounts.OwnerEarnings(payout.OwnerId)));
        Assert.Equal(0, await Balance(LedgerAccounts.OwnerPayable(payout.OwnerId)));
    }

    [Fact]
    public async Task BankPayoutWebhooks_RecordTheLatestOutcomeOnTheOwnersAccount()
    {
        Start(TestDatabase.Sqlite);
        var (payout, account) = await PayoutAwaitingReviewAsync();
        var now = DateTimeOffset.UtcNow;
        using var client = _app.NewClient();

        await StripeStub.PostWebhookAsync(client, StripeStub.BankPayoutEvent("evt_bank_failed", account, "failed", "Account closed", now));
        await StripeStub.PostWebhookAsync(client, StripeStub.BankPayoutEvent("evt_bank_old", account, "paid", null, now.AddMinutes(-5)));

        var recorded = await _app.QueryAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == payout.OwnerId));
        Assert.Equal("failed", recorded.LastBankPayoutStatus);
        Assert.Equal("Account closed", recorded.LastBankPayoutFailure);
    }

    [Fact]
    public async Task Reconcile_TransferTheLedgerDoesNotKnow_IsRecordedOnce()
    {
        Start(TestDatabase.Sqlite);
        var (payout, account) = await PayoutAwaitingReviewAsync();
        await ApproveWithoutRunningAsync(payout.Id);
        await RunExecutorAsync(payout.Id);
        _stripe.Transfers["tr_stray"] = new StripeStub.StubTransfer("tr_stray", 4_20, "usd", account, PayoutId: null);

        await _app.RunRecurringJobAsync(ReconcileStripeTask.Id);
        await _app.RunRecurringJobAsync(ReconcileStripeTask.Id);

        var differences = await _app.QueryAsync(db => db.ReconciliationDifferences.AsNoTracking().ToListAsync());
        var stray = Assert.Single(differences);
        Assert.Equal(("unknown-to-ledger", "tr_stray", 4_20L), (stray.Kind, stray.Reference, stray.StripeMinor!.Value));
    }

    /// <summary>An owner with a payouts-enabled connected account, earnings from real work, and the payout run's payout for them.</summary>
    private async Task<(Payout Payout, string Account)> PayoutAwaitingReviewAsync()
    {
        var device = await _market.PairedDeviceAsync();
        var account = await ConnectAsync(device.Owner);
        var buyer = await TestUsers.CreateAsync(_app, Roles.Buyer);
        using (var stripe = _app.NewClient())
        {
            // With Stripe configured a balance comes from a paid Checkout Session, as in production.
            (await StripeStub.PostWebhookAsync(stripe, StripeStub.CheckoutCompletedEvent($"evt_{Guid.NewGuid():N}", $"cs_{Guid.NewGuid():N}",
                buyer.Id, 100_00, "paid"))).EnsureSuccessStatusCode();
        }

        await _market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 2);
        using (var worker = _market.DeviceClient(device))
        {
            await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
        }

        await _app.RunRecurringJobAsync(SettlementTask.Id);
        await _app.RunRecurringJobAsync(PayoutRunTask.Id);
        return (await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.OwnerId == device.Owner.Id)), account);
    }

    private async Task<string> ConnectAsync(TestUser owner)
    {
        await _app.InScopeAsync(s => s.GetRequiredService<PayoutAccountService>()
            .StartOnboardingAsync(owner.Id, owner.Email, _app.BaseAddress));
        var account = await _app.QueryAsync(db => db.PayoutAccounts.Where(a => a.OwnerId == owner.Id).Select(a => a.ProviderAccountId).SingleAsync());
        using var client = _app.NewClient();
        (await StripeStub.PostWebhookAsync(client, StripeStub.AccountUpdatedEvent($"evt_{Guid.NewGuid():N}", account, ready: true,
            DateTimeOffset.UtcNow.AddSeconds(5)))).EnsureSuccessStatusCode();
        return account;
    }

    /// <summary>Approves in the database only, so the test decides when execute-payout runs.</summary>
    private Task ApproveWithoutRunningAsync(Guid payoutId) => _app.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<Web.Data.FleetDbContext>();
        (await db.Payouts.SingleAsync(p => p.Id == payoutId)).Approve("finance@test", null, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    });

    private Task RunExecutorAsync(Guid payoutId) =>
        _app.InScopeAsync(s => s.GetRequiredService<PayoutExecutor>().ExecuteAsync(payoutId, CancellationToken.None));

    private async Task<Payout> PaidAsync(Guid payoutId)
    {
        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Payouts.AnyAsync(p => p.Id == payoutId && p.Status == PayoutStatus.Paid)),
            TimeSpan.FromSeconds(30), "the payout to be paid");
        return await _app.QueryAsync(db => db.Payouts.AsNoTracking().SingleAsync(p => p.Id == payoutId));
    }

    private Task<long> Balance(string account) =>
        _app.InScopeAsync(async s => (await s.GetRequiredService<LedgerService>().BalanceAsync(account, "USD")).Minor);
}
