using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// A correctly signed webhook whose body is not a Stripe event (a misconfigured sender, a test tool, a leaked
/// secret) is refused with a 400 that says so, and records nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StripeWebhookBodyTests(StripeWebhookBodyTests.Webhooks webhooks) : IClassFixture<StripeWebhookBodyTests.Webhooks>
{
    private readonly FleetApp _app = webhooks.App;

    /// <summary>The app with a webhook secret, so that signatures verify and bodies are read.</summary>
    public sealed class Webhooks : IAsyncLifetime
    {
        public FleetApp App { get; } = new(new() { ["Stripe:WebhookSecret"] = StripeStub.WebhookSecret });

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"id":"evt_no_type","object":"event"}""")]
    [InlineData("""{"id":"evt_no_data","object":"event","type":"checkout.session.completed"}""")]
    public async Task SignedWebhook_BodyNotAStripeEvent_Is400Problem_NothingRecorded(string payload)
    {
        using var client = _app.NewClient();

        using var response = await StripeStub.PostWebhookAsync(client, payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not a Stripe event", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await _app.QueryAsync(db => db.Set<ProcessedStripeEvent>().CountAsync()));
    }

    [Fact]
    public async Task SignedCheckoutCompleted_WithoutACurrency_IsAcknowledged_AndCreditsNothing()
    {
        var buyer = await new MarketplaceBuilder(_app).BuyerWithBalanceAsync(0);
        var payload = JsonNode.Parse(StripeStub.CheckoutCompletedEvent($"evt_{Guid.NewGuid():N}", $"cs_test_{Guid.NewGuid():N}", buyer.Id, 25_00, "paid"))!;
        payload["data"]!["object"]!.AsObject().Remove("currency");
        using var client = _app.NewClient();

        using var response = await StripeStub.PostWebhookAsync(client, payload.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await _app.InScopeAsync(s => s.GetRequiredService<BalanceService>().GetAsync(buyer.Id));
        Assert.Equal(0, balance.Available.Minor);
    }
}
