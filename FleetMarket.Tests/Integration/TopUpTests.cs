using System.Net;
using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Money;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Balance top-ups through Stripe Checkout (a loopback stub) and its signed checkout.session.completed webhook.</summary>
[Collection(AppCollection.Name)]
public sealed class TopUpTests : IAsyncLifetime
{
    private readonly StripeStub _stripe = new();
    private readonly FleetApp _app;

    public TopUpTests() => _app = new FleetApp(_stripe.AppSettings);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task StartTopUp_CreatesACheckoutSessionForTheAmount_AndSimulatedTopUpsAreRefused()
    {
        var buyer = await TestUsers.CreateAsync(_app, Roles.Buyer);

        var url = await Balances(s => s.StartTopUpAsync(buyer.Id, new Money(25_00, "USD"), _app.BaseAddress));

        Assert.StartsWith("https://checkout.stripe.test/c/pay/cs_test_", url);
        Assert.Contains(_stripe.Requests, r => r == $"POST /v1/checkout/sessions mode=payment amount=2500 client={buyer.Id}");
        await Assert.ThrowsAsync<DomainException>(() => Balances(s => s.SimulateTopUpAsync(buyer.Id, new Money(25_00, "USD"))));
    }

    [Fact]
    public async Task Webhook_PaidCheckoutSentTwiceUnderTwoEventIds_CreditsTheBalanceOnce()
    {
        var buyer = await TestUsers.CreateAsync(_app, Roles.Buyer);
        var first = StripeStub.CheckoutCompletedEvent("evt_paid_1", "cs_test_once", buyer.Id, 25_00, "paid");
        var again = StripeStub.CheckoutCompletedEvent("evt_paid_2", "cs_test_once", buyer.Id, 25_00, "paid");
        using var client = _app.NewClient();

        Assert.Equal(HttpStatusCode.OK, (await StripeStub.PostWebhookAsync(client, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StripeStub.PostWebhookAsync(client, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StripeStub.PostWebhookAsync(client, again)).StatusCode);

        Assert.Equal(25_00, (await Balances(s => s.GetAsync(buyer.Id))).Available.Minor);
    }

    [Fact]
    public async Task Webhook_UnpaidCheckout_CreditsNothing()
    {
        var buyer = await TestUsers.CreateAsync(_app, Roles.Buyer);
        using var client = _app.NewClient();

        await StripeStub.PostWebhookAsync(client, StripeStub.CheckoutCompletedEvent("evt_unpaid", "cs_test_unpaid", buyer.Id, 25_00, "unpaid"));

        Assert.Equal(0, (await Balances(s => s.GetAsync(buyer.Id))).Available.Minor);
    }

    private Task<T> Balances<T>(Func<BalanceService, Task<T>> action) => _app.InScopeAsync(s => action(s.GetRequiredService<BalanceService>()));

    private Task Balances(Func<BalanceService, Task> action) => _app.InScopeAsync(s => action(s.GetRequiredService<BalanceService>()));
}
