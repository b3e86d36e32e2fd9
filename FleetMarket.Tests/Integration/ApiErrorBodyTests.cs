using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Bodies the framework refuses before a handler runs get problem+json with a sentence, like every other API error.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiErrorBodyTests(ApiErrorBodyTests.SmallLimits limits) : IClassFixture<ApiErrorBodyTests.SmallLimits>
{
    /// <summary>Small upload limits, so a body over them is cheap to send.</summary>
    public sealed class SmallLimits : IAsyncLifetime
    {
        public FleetApp App { get; } = new(new() { ["Marketplace:MaxModelBytes"] = "16384", ["Marketplace:MaxInputBytes"] = "16384" });

        public HttpClient Buyer { get; private set; } = null!;

        public string BuyerId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var buyer = await new MarketplaceBuilder(App).BuyerWithBalanceAsync();
            BuyerId = buyer.Id;
            var key = await App.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "errors"));
            Buyer = App.NewClient();
            Buyer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        }

        public async Task DisposeAsync()
        {
            Buyer.Dispose();
            await App.DisposeAsync();
        }
    }

    [Fact]
    public async Task JobUpload_OverTheLimit_Is413Problem()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[2 * 1024 * 1024]), "model", "model.onnx" } };

        var problem = await ProblemAsync(await limits.Buyer.PostAsync("/api/jobs", form), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("larger than this endpoint accepts", problem.Detail);
        Assert.Equal(0, await limits.App.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == limits.BuyerId)));
    }

    [Fact]
    public async Task Reservation_SentAsPlainText_Is415ProblemNamingJson()
    {
        var problem = await ProblemAsync(await limits.Buyer.PostAsync("/api/reservations", new StringContent("{}", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("sent as text/plain", problem.Detail);
        Assert.Contains("application/json", problem.Detail);
    }

    [Fact]
    public async Task JobUpload_MalformedMultipart_Is400Problem()
    {
        var body = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m\"\r\n\r\nno closing boundary");
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        var problem = await ProblemAsync(await limits.Buyer.PostAsync("/api/jobs", body), HttpStatusCode.BadRequest);

        Assert.Contains("could not be read", problem.Detail);
    }

    [Fact]
    public async Task JobUpload_WithoutItsInputsPart_Is400ProblemNamingThePart()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "model", "model.onnx" } };

        var problem = await ProblemAsync(await limits.Buyer.PostAsync("/api/jobs", form), HttpStatusCode.BadRequest);

        Assert.Contains("no 'inputs' part", problem.Detail);
        Assert.DoesNotContain("IFormFile", problem.Detail);
    }

    [Fact]
    public async Task Api_WrongApiKey_Is401Problem()
    {
        using var stranger = limits.App.NewClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "fmk_not-a-key");

        var problem = await ProblemAsync(await stranger.GetAsync("/api/jobs"), HttpStatusCode.Unauthorized);

        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task Api_NoCredentials_Is401Problem()
    {
        using var anonymous = limits.App.NewClient();

        var problem = await ProblemAsync(await anonymous.GetAsync("/api/balance"), HttpStatusCode.Unauthorized);

        Assert.Contains("API key", problem.Detail);
    }

    private static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, System.Text.Json.JsonSerializerOptions.Web)!;
            Assert.Equal((int)expected, problem.Status);
            Assert.False(string.IsNullOrWhiteSpace(problem.Title));
            return problem;
        }
    }
}
