using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Buyers' programs on the HTTP API with API keys: shown once, stored hashed, revocable, scoped to their buyer.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiKeyTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task ApiKey_SubmitsAJobAndReadsTheBalance_AndOnlyItsHashIsStored()
    {
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        var issued = await Keys(s => s.CreateAsync(buyer.Id, "pipeline"));
        using var client = KeyClient(issued.Key);

        var submitted = await client.PostAsync("/api/jobs", new MultipartFormDataContent
        {
            { new ByteArrayContent(ReferenceModel.Build()), "model", "mlp.onnx" },
            { new ByteArrayContent(Npy.ToBytes(MarketplaceBuilder.SampleInputs(8))), "inputs", "inputs.npy" },
        });
        var balance = await client.GetFromJsonAsync<BuyerBalance>("/api/balance", ApiJson.Options);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.True(balance!.HeldMinor > 0);
        Assert.Equal(20_00, balance.AvailableMinor + balance.HeldMinor);
        var stored = await app.QueryAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == issued.Id));
        Assert.NotEqual(issued.Key, stored.Hash);
        Assert.DoesNotContain(issued.Key, stored.Hash);
        Assert.StartsWith(stored.Prefix, issued.Key);
    }

    [Fact]
    public async Task Api_NamesEnums_InAnswersAndInItsOpenApiDocument_AndStillReadsNumbers()
    {
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        using var client = KeyClient((await Keys(s => s.CreateAsync(buyer.Id, "script"))).Key);

        var submitted = await client.PostAsync("/api/jobs", new MultipartFormDataContent
        {
            { new ByteArrayContent(ReferenceModel.Build()), "model", "mlp.onnx" },
            { new ByteArrayContent(Npy.ToBytes(MarketplaceBuilder.SampleInputs(8))), "inputs", "inputs.npy" },
            { new StringContent("1"), "priority" },
        });
        var job = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        var openApi = await client.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("Queued", job.GetProperty("status").GetString());
        Assert.Equal(nameof(JobPriority.High), job.GetProperty("priority").GetString());
        Assert.Contains("\"Completed\"", openApi);
    }

    [Fact]
    public async Task Outputs_OfAJobNotYetComplete_Are409ProblemJson_NotAFileOfError()
    {
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        var jobId = await _market.SubmitSampleJobAsync(buyer);
        using var client = KeyClient((await Keys(s => s.CreateAsync(buyer.Id, "script"))).Key);

        var outputs = await client.GetAsync($"/api/jobs/{jobId}/outputs");

        Assert.Equal(HttpStatusCode.Conflict, outputs.StatusCode);
        Assert.Equal("application/problem+json", outputs.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not complete", (await outputs.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task ApiKey_Revoked_IsRejectedAtOnce()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var issued = await Keys(s => s.CreateAsync(buyer.Id, "laptop"));
        using var client = KeyClient(issued.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);

        await Keys(s => s.RevokeAsync(buyer.Id, issued.Id));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task ApiKey_AnotherBuyersJobAndKeys_AreOutOfReach()
    {
        var owner = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(owner);
        var ownersKey = await Keys(s => s.CreateAsync(owner.Id, "mine"));
        var stranger = await _market.BuyerWithBalanceAsync();
        using var client = KeyClient((await Keys(s => s.CreateAsync(stranger.Id, "theirs"))).Key);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/jobs/{jobId}")).StatusCode);
        Assert.Empty(await client.GetFromJsonAsync<List<JobProgress>>("/api/jobs", ApiJson.Options) ?? []);
        await Assert.ThrowsAsync<FleetMarket.Web.Features.NotFoundException>(() => Keys(s => s.RevokeAsync(stranger.Id, ownersKey.Id)));
    }

    [Fact]
    public async Task ApiKey_UserNoLongerABuyer_IsForbiddenTheApi()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var issued = await Keys(s => s.CreateAsync(buyer.Id, "old"));
        await app.InScopeAsync(s => s.GetRequiredService<AccountService>().SetRoleAsync(Web.Features.Audit.Actor.System, buyer.Id, Roles.Buyer, granted: false, "test: a buyer no more"));
        app.Services.GetRequiredService<ApiKeyCache>().Forget(FleetMarket.Web.Features.Devices.Secrets.Hash(issued.Key));
        using var client = KeyClient(issued.Key);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/balance")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentDescribesTheBuyerApi()
    {
        using var client = app.NewClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/jobs", document);
        Assert.Contains("/api/balance", document);
        Assert.Contains("/api/capacity", document);
        Assert.Contains("/api/reservations/{reservationId}/cancel", document);
    }

    private HttpClient KeyClient(string key)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private Task<T> Keys<T>(Func<ApiKeyService, Task<T>> action) => app.InScopeAsync(s => action(s.GetRequiredService<ApiKeyService>()));

    private Task Keys(Func<ApiKeyService, Task> action) => app.InScopeAsync(s => action(s.GetRequiredService<ApiKeyService>()));
}
