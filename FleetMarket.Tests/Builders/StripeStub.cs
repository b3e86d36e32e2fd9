using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Stripe;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// Stripe's API as far as FleetMarket uses it, on a loopback port: Express accounts and account links,
/// Checkout Sessions, and Connect transfers (idempotent by <c>Idempotency-Key</c>, as Stripe is).
/// No network is reachable from tests, and Stripe's own mock server is not packaged; this is the stand-in.
/// It also signs webhook payloads the way Stripe does.
/// </summary>
public sealed class StripeStub : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_fleetmarket";

    private readonly WebApplication _app;

    public StripeStub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/v1/accounts", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            Requests.Add($"POST /v1/accounts type={form["type"]} email={form["email"]} idempotency={request.Headers["Idempotency-Key"]}");
            var id = $"acct_{Guid.NewGuid():N}"[..21];
            Accounts[id] = false;
            return Results.Content(AccountJson(id, detailsSubmitted: false, payoutsEnabled: false), "application/json");
        });
        _app.MapGet("/v1/accounts/{id}", (string id) => Accounts.TryGetValue(id, out var ready)
            ? Results.Content(AccountJson(id, ready, ready), "application/json")
            : Results.Content("""{"error":{"type":"invalid_request_error","message":"No such account"}}""", "application/json", statusCode: 404));
        _app.MapPost("/v1/account_links", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            Requests.Add($"POST /v1/account_links account={form["account"]} return_url={form["return_url"]}");
            return Results.Content(JsonSerializer.Serialize(new
            {
                @object = "account_link",
                url = $"https://connect.stripe.test/setup/{form["account"]}",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                expires_at = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
            }), "application/json");
        });
        _app.MapPost("/v1/checkout/sessions", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            Requests.Add($"POST /v1/checkout/sessions mode={form["mode"]} amount={form["line_items[0][price_data][unit_amount]"]} client={form["client_reference_id"]}");
            var id = $"cs_test_{Guid.NewGuid():N}";
            return Results.Content(JsonSerializer.Serialize(new { id, @object = "checkout.session", url = $"https://checkout.stripe.test/c/pay/{id}" }),
                "application/json");
        });
        _app.MapPost("/v1/transfers", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var key = request.Headers["Idempotency-Key"].ToString();
            Requests.Add($"POST /v1/transfers amount={form["amount"]} currency={form["currency"]} destination={form["destination"]} idempotency={key}");
            if (RefuseTransfers)
            {
                return Results.Content("""{"error":{"type":"invalid_request_error","code":"balance_insufficient","message":"Insufficient funds in Stripe account."}}""",
                    "application/json", statusCode: 400);
            }

            // Stripe replays the first response to a repeated idempotency key instead of transferring again.
            var transfer = _transfersByKey.GetOrAdd(key, _ =>
            {
                var created = new StubTransfer($"tr_{Guid.NewGuid():N}"[..27], long.Parse(form["amount"]!), form["currency"]!,
                    form["destination"]!, form["metadata[payout_id]"]);
                Transfers[created.Id] = created;
                return created;
            });
            return Results.Content(TransferJson(transfer), "application/json");
        });
        _app.MapGet("/v1/transfers", () => Results.Content(
            $$"""{"object":"list","url":"/v1/transfers","has_more":false,"data":[{{string.Join(",", Transfers.Values.Select(TransferJson))}}]}""",
            "application/json"));
        _app.StartAsync().GetAwaiter().GetResult();
        BaseAddress = _app.Urls.First();
    }

    public string BaseAddress { get; }

    /// <summary>The configuration that points a <see cref="FleetApp"/> at this stub, keys and webhook secret included.</summary>
    public Dictionary<string, string?> AppSettings => new()
    {
        ["Stripe:SecretKey"] = "sk_test_fleetmarket",
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Stripe:ApiBase"] = BaseAddress,
    };

    public ConcurrentBag<string> Requests { get; } = [];

    /// <summary>The transfers Stripe made, by id; a test may add one the ledger does not know.</summary>
    public ConcurrentDictionary<string, StubTransfer> Transfers { get; } = new();

    /// <summary>When set, transfers are refused as Stripe does when the platform's balance is short.</summary>
    public bool RefuseTransfers { get; set; }

    private readonly ConcurrentDictionary<string, StubTransfer> _transfersByKey = new();

    public sealed record StubTransfer(string Id, long Amount, string Currency, string Destination, string? PayoutId, long AmountReversed = 0);

    public static string TransferJson(StubTransfer transfer) => JsonSerializer.Serialize(new
    {
        id = transfer.Id,
        @object = "transfer",
        amount = transfer.Amount,
        amount_reversed = transfer.AmountReversed,
        currency = transfer.Currency,
        destination = transfer.Destination,
        reversed = transfer.AmountReversed == transfer.Amount,
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        metadata = transfer.PayoutId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["payout_id"] = transfer.PayoutId },
    });

    /// <summary>A <c>transfer.created</c> or <c>transfer.reversed</c> event about <paramref name="transfer"/>.</summary>
    public static string TransferEvent(string eventId, string type, StubTransfer transfer) =>
        $$$"""{"id":"{{{eventId}}}","object":"event","api_version":"{{{StripeConfiguration.ApiVersion}}}","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"type":"{{{type}}}","livemode":false,"pending_webhooks":1,"data":{"object":{{{TransferJson(transfer)}}}}}""";

    /// <summary>A <c>payout.paid</c> or <c>payout.failed</c> event: a connected account's payout to the owner's bank.</summary>
    public static string BankPayoutEvent(string eventId, string accountId, string status, string? failureMessage, DateTimeOffset created) =>
        JsonSerializer.Serialize(new
        {
            id = eventId,
            @object = "event",
            api_version = StripeConfiguration.ApiVersion,
            account = accountId,
            created = created.ToUnixTimeSeconds(),
            type = status == "paid" ? "payout.paid" : "payout.failed",
            livemode = false,
            pending_webhooks = 1,
            data = new
            {
                @object = new
                {
                    id = $"po_{Guid.NewGuid():N}"[..24],
                    @object = "payout",
                    amount = 1000,
                    currency = "usd",
                    status,
                    failure_message = failureMessage,
                },
            },
        });

    /// <summary>Account id → whether the owner finished onboarding (Stripe then enables payouts).</summary>
    public ConcurrentDictionary<string, bool> Accounts { get; } = new();

    public static string AccountJson(string id, bool detailsSubmitted, bool payoutsEnabled) => JsonSerializer.Serialize(new
    {
        id,
        @object = "account",
        type = "express",
        details_submitted = detailsSubmitted,
        payouts_enabled = payoutsEnabled,
        charges_enabled = payoutsEnabled,
    });

    /// <summary>An <c>account.updated</c> event as Stripe sends it.</summary>
    public static string AccountUpdatedEvent(string eventId, string accountId, bool ready, DateTimeOffset created) =>
        $$$"""{"id":"{{{eventId}}}","object":"event","api_version":"{{{StripeConfiguration.ApiVersion}}}","created":{{{created.ToUnixTimeSeconds()}}},"type":"account.updated","livemode":false,"pending_webhooks":1,"data":{"object":{{{AccountJson(accountId, ready, ready)}}}}}""";

    /// <summary>A <c>checkout.session.completed</c> event for a top-up Checkout Session.</summary>
    public static string CheckoutCompletedEvent(string eventId, string sessionId, string buyerId, long amountMinor, string paymentStatus) =>
        JsonSerializer.Serialize(new
        {
            id = eventId,
            @object = "event",
            api_version = StripeConfiguration.ApiVersion,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            type = "checkout.session.completed",
            livemode = false,
            pending_webhooks = 1,
            data = new
            {
                @object = new
                {
                    id = sessionId,
                    @object = "checkout.session",
                    mode = "payment",
                    client_reference_id = buyerId,
                    amount_total = amountMinor,
                    currency = "usd",
                    payment_status = paymentStatus,
                    status = "complete",
                    metadata = new { buyer_id = buyerId, purpose = "top-up" },
                },
            },
        });

    /// <summary>The <c>Stripe-Signature</c> header: t=…,v1=hex(HMAC-SHA256(secret, "{t}.{payload}")).</summary>
    public static string Sign(string payload, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(signature)}";
    }

    /// <summary>Delivers a webhook payload as Stripe does, signed with <see cref="WebhookSecret"/> unless a signature is given.</summary>
    public static Task<HttpResponseMessage> PostWebhookAsync(HttpClient client, string payload, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, FleetMarket.Web.Features.Payments.StripeWebhookApi.Route)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Stripe-Signature", signature ?? Sign(payload));
        return client.SendAsync(request);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
