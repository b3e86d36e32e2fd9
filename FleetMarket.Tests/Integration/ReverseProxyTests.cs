using System.Net;
using System.Net.Http.Json;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Integration;

/// <summary>Behind the load balancer every connection comes from it: per-address limits must see the client it names.</summary>
[Collection(AppCollection.Name)]
public sealed class ReverseProxyTests
{
    [Fact]
    public async Task Pair_FromTrustedProxy_LimitsEachForwardedClientApart()
    {
        await using var app = new FleetApp(new()
        {
            ["Marketplace:PairingAttemptsPerMinute"] = "2",
            ["ReverseProxy:KnownProxies:0"] = "127.0.0.1",
        });

        var guesser = await GuessAsync(app, "203.0.113.7", 3);
        var neighbour = await GuessAsync(app, "203.0.113.8", 1);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], guesser);
        Assert.Equal([HttpStatusCode.BadRequest], neighbour);
    }

    [Fact]
    public async Task Pair_NoTrustedProxy_IgnoresForwardedFor()
    {
        await using var app = new FleetApp(new() { ["Marketplace:PairingAttemptsPerMinute"] = "2" });

        var first = await GuessAsync(app, "203.0.113.7", 2);
        var claimsToBeSomeoneElse = await GuessAsync(app, "203.0.113.8", 1);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], first);
        Assert.Equal([HttpStatusCode.TooManyRequests], claimsToBeSomeoneElse);
    }

    private static async Task<List<HttpStatusCode>> GuessAsync(FleetApp app, string forwardedFor, int guesses)
    {
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < guesses; guess++)
        {
            statuses.Add((await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest($"GUESS{guess:000}"))).StatusCode);
        }

        return statuses;
    }
}
