using System.Net;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Payments;
using FleetMarket.Web.Features.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Stripe Connect Express onboarding against the loopback Stripe stub, and signed account.updated webhooks.</summary>
[Collection(AppCollection.Name)]
public sealed class PayoutAccountTests : IAsyncLifetime
{
    private readonly StripeStub _stripe = new();
    private readonly FleetApp _app;

    public PayoutAccountTests() => _app = new FleetApp(_stripe.AppSettings);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task StartOnboarding_FirstTime_CreatesOneExpressAccountAndReturnsStripesLink()
    {
        var owner = await TestUsers.CreateAsync(_app, Roles.Owner);

        var first = await Onboard(owner);
        var second = await Onboard(owner);

        var account = await _app.QueryAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == owner.Id));
        Assert.Equal($"https://connect.stripe.test/setup/{account.ProviderAccountId}", first);
        Assert.Equal(first, second);
        Assert.Single(_stripe.Requests, r => r.StartsWith("POST /v1/accounts type=express"));
        Assert.Contains(_stripe.Requests, r => r.Contains($"idempotency=express-account-{owner.Id}"));
        Assert.Contains(_stripe.Requests, r => r.Contains("return_url=") && r.Contains(PayoutAccountService.ReturnPath));
        Assert.Equal(PayoutAccountState.OnboardingIncomplete, account.State);
    }

    [Fact]
    public async Task Webhook_AccountUpdatedReplayed_AppliedOnceAndRecordedOnce()
    {
        var owner = await TestUsers.CreateAsync(_app, Roles.Owner);
        await Onboard(owner);
        var accountId = await _app.QueryAsync(db => db.PayoutAccounts.Where(a => a.OwnerId == owner.Id).Select(a => a.ProviderAccountId).SingleAsync());
        var payload = StripeStub.AccountUpdatedEvent("evt_ready_1", accountId, ready: true, DateTimeOffset.UtcNow.AddSeconds(5));
        using var client = _app.NewClient();

        var first = await StripeStub.PostWebhookAsync(client, payload);
        var replay = await StripeStub.PostWebhookAsync(client, payload);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var account = await _app.QueryAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == owner.Id));
        Assert.Equal(PayoutAccountState.Ready, account.State);
        Assert.Equal(1, await _app.QueryAsync(db => db.Set<ProcessedStripeEvent>().CountAsync(e => e.Id == "evt_ready_1")));
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("tampered body")]
    [InlineData("stale timestamp")]
    public async Task Webhook_BadSignature_RejectedAndNothingChanges(string fault)
    {
        var owner = await TestUsers.CreateAsync(_app, Roles.Owner);
        await Onboard(owner);
        var accountId = await _app.QueryAsync(db => db.PayoutAccounts.Where(a => a.OwnerId == owner.Id).Select(a => a.ProviderAccountId).SingleAsync());
        var payload = StripeStub.AccountUpdatedEvent("evt_forged", accountId, ready: true, DateTimeOffset.UtcNow.AddSeconds(5));
        var signature = fault switch
        {
            "wrong secret" => StripeStub.Sign(payload, secret: "whsec_attacker"),
            "stale timestamp" => StripeStub.Sign(payload, at: DateTimeOffset.UtcNow.AddHours(-1)),
            _ => StripeStub.Sign(payload),
        };
        var body = fault == "tampered body" ? payload.Replace("\"express\"", "\"custom\"") : payload;
        using var client = _app.NewClient();

        var response = await StripeStub.PostWebhookAsync(client, body, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var account = await _app.QueryAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.OwnerId == owner.Id));
        Assert.Equal(PayoutAccountState.OnboardingIncomplete, account.State);
        Assert.False(await _app.QueryAsync(db => db.Set<ProcessedStripeEvent>().AnyAsync(e => e.Id == "evt_forged")));
    }

    [Fact]
    public async Task Refresh_OwnerBackFromStripe_ReadsTheAccountsStatus()
    {
        var owner = await TestUsers.CreateAsync(_app, Roles.Owner);
        await Onboard(owner);
        var accountId = await _app.QueryAsync(db => db.PayoutAccounts.Where(a => a.OwnerId == owner.Id).Select(a => a.ProviderAccountId).SingleAsync());
        _stripe.Accounts[accountId] = true;

        var account = await _app.InScopeAsync(s => s.GetRequiredService<PayoutAccountService>().RefreshAsync(owner.Id));

        Assert.Equal(PayoutAccountState.Ready, account!.State);
    }

    private Task<string> Onboard(TestUser owner) => _app.InScopeAsync(s =>
        s.GetRequiredService<PayoutAccountService>().StartOnboardingAsync(owner.Id, owner.Email, _app.BaseAddress));
}
