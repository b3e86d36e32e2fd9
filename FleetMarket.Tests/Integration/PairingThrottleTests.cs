using System.Net;
using System.Net.Http.Json;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class PairingThrottleTests
{
    [Fact]
    public async Task Pair_GuessingCodes_IsThrottledAfterTheLimit()
    {
        await using var app = new FleetApp(new() { ["Marketplace:PairingAttemptsPerMinute"] = "3" });
        using var client = app.NewClient();

        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 5; guess++)
        {
            statuses.Add((await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest($"GUESS{guess:000}"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
