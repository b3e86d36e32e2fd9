using System.Net;
using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Integration;

/// <summary>Every response tells the browser not to sniff, frame, leak paths or run foreign script; HSTS reaches HTTPS callers.</summary>
[Collection(AppCollection.Name)]
public sealed class SecurityHeadersTests(FleetApp app) : IClassFixture<FleetApp>
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/api/balance")]
    [InlineData("/health")]
    [InlineData("/no-such-page")]
    public async Task AnyResponse_CarriesTheHardeningHeaders(string path)
    {
        using var client = app.NewClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'nonce-", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task Page_ImportMapCarriesTheNonceThePolicyAdmits()
    {
        using var client = app.NewClient();

        using var response = await client.GetAsync("/account/login");

        var nonce = System.Text.RegularExpressions.Regex.Match(Header(response, "Content-Security-Policy"), "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HttpsRequestThroughTrustedProxy_GetsHsts_PlainHttpDoesNot()
    {
        await using var proxied = new FleetApp(new() { ["ReverseProxy:KnownProxies:0"] = "127.0.0.1" });
        using var client = proxied.NewClient();

        using var https = await client.SendAsync(Get("https"));
        using var http = await client.SendAsync(Get("http"));

        Assert.Equal(HttpStatusCode.OK, https.StatusCode);
        Assert.StartsWith("max-age=", Header(https, "Strict-Transport-Security"));
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task HttpsNotEnforced_NoHsts()
    {
        await using var proxied = new FleetApp(new() { ["ReverseProxy:KnownProxies:0"] = "127.0.0.1", ["Https:Enforce"] = "false" });
        using var client = proxied.NewClient();

        using var https = await client.SendAsync(Get("https"));

        Assert.False(https.Headers.Contains("Strict-Transport-Security"));
    }

    /// <summary>HSTS is never sent for localhost, so the request names a real-looking host.</summary>
    private static HttpRequestMessage Get(string forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "fleet.example";
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
