using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FleetMarket.Domain.Accounts;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using Microsoft.AspNetCore.Mvc;

namespace FleetMarket.Tests.Integration;

/// <summary>Sign-in, the buyer API and the worker API each have their own limit per caller; a refusal says when to retry.</summary>
[Collection(AppCollection.Name)]
public sealed partial class RateLimitTests : IAsyncLifetime
{
    private readonly FleetApp _app = new(new()
    {
        ["RateLimits:SignInPerMinute"] = "2",
        ["RateLimits:BuyerApiPerMinute"] = "3",
        ["RateLimits:WorkerPerMinute"] = "3",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task SignIn_ThirdAttemptInAMinute_IsRefused_WhileTheLoginPageStillOpens()
    {
        var owner = await TestUsers.CreateAsync(_app, Roles.Owner);
        using var client = _app.NewClient(new HttpClientHandler { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            statuses.Add((await PostLoginAsync(client, owner.Email, "wrong-password")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task BuyerApi_OverTheLimit_429WithProblemDetails_OtherBuyersUnaffected()
    {
        var market = new MarketplaceBuilder(_app);
        using var busy = await TestUsers.SignedInClientAsync(_app, await market.BuyerWithBalanceAsync());
        using var other = await TestUsers.SignedInClientAsync(_app, await market.BuyerWithBalanceAsync());

        for (var i = 0; i < 3; i++)
        {
            (await busy.GetAsync("/api/balance")).EnsureSuccessStatusCode();
        }

        var refused = await busy.GetAsync("/api/balance");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.StartsWith("Slow down", (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/balance")).StatusCode);
    }

    [Fact]
    public async Task WorkerApi_LimitIsPerDeviceCredential()
    {
        var market = new MarketplaceBuilder(_app);
        using var chatty = market.DeviceClient(await market.PairedDeviceAsync());
        using var quiet = market.DeviceClient(await market.PairedDeviceAsync());
        var beat = new HeartbeatRequest(new DeviceConditions(IsIdle: true, IsCharging: true, BatteryPercent: 90, TemperatureCelsius: 40), "CPU");

        for (var i = 0; i < 3; i++)
        {
            (await chatty.PostAsJsonAsync(WorkerRoutes.Heartbeat, beat)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await chatty.PostAsJsonAsync(WorkerRoutes.Heartbeat, beat)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await quiet.PostAsJsonAsync(WorkerRoutes.Heartbeat, beat)).StatusCode);
    }

    [Fact]
    public async Task WorkerApi_DeviceWorkingThroughManySmallUnits_NeverRefused_ChatterStillIs()
    {
        var market = new MarketplaceBuilder(_app);
        using var busy = market.DeviceClient(await market.PairedDeviceAsync());
        await market.SubmitSampleJobAsync(await market.BuyerWithBalanceAsync(), rows: 5, rowsPerUnit: 1);

        // Five units are fifteen requests (lease, input, completion) against a limit of three a minute.
        for (var unit = 0; unit < 5; unit++)
        {
            var lease = await MarketplaceBuilder.LeaseAsync(busy);
            Assert.NotNull(lease);
            (await MarketplaceBuilder.CompleteHonestlyAsync(busy, lease)).EnsureSuccessStatusCode();
        }

        var beat = new HeartbeatRequest(new DeviceConditions(IsIdle: true, IsCharging: true, BatteryPercent: 90, TemperatureCelsius: 40), "CPU");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await busy.PostAsJsonAsync(WorkerRoutes.Heartbeat, beat)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
