using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>A page on another site cannot use a signed-in buyer's cookie to write through the API; the portal and API keys can.</summary>
[Collection(AppCollection.Name)]
public sealed class CrossOriginTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task CookieCancel_FromAnotherSite_Is403Problem_AndTheJobRuns(string header, string value)
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer);
        using var portal = await TestUsers.SignedInClientAsync(app, buyer);

        using var response = await portal.SendAsync(Cancel(jobId, (header, value)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("another site", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(JobStatus.Queued, await StatusAsync(jobId));
    }

    [Fact]
    public async Task CookieSubmit_FromAnotherSite_Is403_AndNoJobIsCreated()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        using var portal = await TestUsers.SignedInClientAsync(app, buyer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new MultipartFormDataContent() };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await portal.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == buyer.Id)));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "")]
    public async Task CookieCancel_FromThePortalItself_Cancels(string header, string value)
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer);
        using var portal = await TestUsers.SignedInClientAsync(app, buyer);

        using var response = await portal.SendAsync(Cancel(jobId, (header, value.Length == 0 ? app.BaseAddress.GetLeftPart(UriPartial.Authority) : value)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JobStatus.Cancelled, await StatusAsync(jobId));
    }

    [Fact]
    public async Task ApiKeyCancel_WhateverTheOrigin_Cancels()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer);
        var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "script"));
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);

        using var response = await client.SendAsync(Cancel(jobId, ("Origin", "https://tool.example")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JobStatus.Cancelled, await StatusAsync(jobId));
    }

    private static HttpRequestMessage Cancel(Guid jobId, (string Name, string Value) header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{jobId}/cancel");
        request.Headers.Add(header.Name, header.Value);
        return request;
    }

    private Task<JobStatus> StatusAsync(Guid jobId) => app.QueryAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync());
}
