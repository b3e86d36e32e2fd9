using System.Reflection;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Every route the app maps (found in its endpoint data source, so a new route is walked without a change here),
/// called with hostile values in every route value and every query parameter its handler or page reads, by
/// every kind of caller: whatever the app thinks of the values, it must not fail with a 5xx.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostileInputWalkTests(HostileInputWalkTests.World world, ITestOutputHelper output) : IClassFixture<HostileInputWalkTests.World>
{
    /// <summary>Values a careless or hostile caller might send where a date, number, id, enum or name is expected.</summary>
    private static readonly string[] HostileValues =
    [
        "9999-12-31", "0001-01-01", "9999-12-31T23:59:59Z", "-1", "-9223372036854775808", "99999999999999999999999", "1e308", "NaN",
        "", new string('x', 2_000), "not-a-guid", "00000000-0000-0000-0000-000000000000", "NotAnEnumValue", "2026-13", "../../etc/passwd",
        "\u0000\u001f<script>",
    ];

    /// <summary>Simple values a query string can carry; anything else a handler takes is a service or a body.</summary>
    private static readonly Type[] QueryTypes =
    [
        typeof(string), typeof(DateOnly), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(int), typeof(long),
        typeof(double), typeof(decimal), typeof(bool), typeof(Guid),
    ];

    [Fact]
    public async Task EveryRoute_WithHostileValues_AsEveryCaller_NeverFailsWith5xx()
    {
        var calls = (
            from endpoint in RouteMatrixTests.MappedRoutes(world.App)
            from method in RouteMatrixTests.MethodsOf(endpoint)
            from value in HostileValues
            from caller in world.Callers
            select (endpoint, method, value, caller)).ToList();

        var failures = new List<string>();
        foreach (var batch in calls.Chunk(8))
        {
            failures.AddRange((await Task.WhenAll(batch.Select(call => SendAsync(call.endpoint, call.method, call.value, call.caller))))
                .OfType<string>());
        }

        output.WriteLine($"{calls.Count} calls, {failures.Count} failed.");
        Assert.True(failures.Count == 0, $"{failures.Count} calls failed with a 5xx:\n  {string.Join("\n  ", failures.Take(50))}");
    }

    private static async Task<string?> SendAsync(RouteEndpoint endpoint, string method, string value, World.Caller caller)
    {
        var path = PathWith(endpoint, value);
        var query = string.Join("&", QueryNames(endpoint).Select(name => $"{name}={Uri.EscapeDataString(value)}"));
        var uri = query.Length == 0 ? path : $"{path}?{query}";
        using var request = new HttpRequestMessage(new HttpMethod(method), uri) { Content = RouteMatrixTests.MinimalBody(endpoint, method) };
        using var response = await caller.Client.SendAsync(request);
        if ((int)response.StatusCode < 500)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync();
        return $"{method} {uri[..Math.Min(uri.Length, 160)]} as {caller.Name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
    }

    /// <summary>The route with <paramref name="value"/> in every parameter (escaped, so it stays one segment).</summary>
    private static string PathWith(RouteEndpoint endpoint, string value)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => Uri.EscapeDataString(value),
        })));
        return "/" + string.Join("/", segments);
    }

    /// <summary>The query parameters the endpoint reads: its handler's simple parameters (through [AsParameters] too) or its page's [SupplyParameterFromQuery] properties.</summary>
    private static IEnumerable<string> QueryNames(RouteEndpoint endpoint)
    {
        var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .SelectMany(p => p.GetCustomAttribute<AsParametersAttribute>() is null
                ? [(p.Name!, p.ParameterType, (ICustomAttributeProvider)p)]
                : p.ParameterType.GetProperties().Select(property => (property.Name, property.PropertyType, (ICustomAttributeProvider)property)))
            .Where(p => IsQueryType(p.Item2) && !p.Item3.GetCustomAttributes(true).OfType<IFromFormMetadata>().Any())
            .Select(p => p.Item3.GetCustomAttributes(true).OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? p.Item1) ?? [];
        var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(property => (property.Name, Query: property.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
            .Where(p => p.Query is not null)
            .Select(p => p.Query!.Name ?? p.Name) ?? [];
        return handler.Concat(page).Where(name => !routeValues.Contains(name)).Distinct();
    }

    private static bool IsQueryType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsEnum || QueryTypes.Contains(underlying);
    }

    /// <summary>One caller of each kind: nobody, each role by the portal's cookie, a buyer by API key, a paired device.</summary>
    public sealed class World : IAsyncLifetime
    {
        public sealed record Caller(string Name, HttpClient Client);

        public FleetApp App { get; } = new(new()
        {
            ["Marketplace:PairingAttemptsPerMinute"] = "1000",
            ["RateLimits:SignInPerMinute"] = "100000",
            ["Stripe:WebhookSecret"] = StripeStub.WebhookSecret,
        });

        public List<Caller> Callers { get; } = [];

        public async Task InitializeAsync()
        {
            var market = new MarketplaceBuilder(App);
            var device = await market.PairedDeviceAsync();
            var buyer = await market.BuyerWithBalanceAsync();
            var key = await App.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "hostile walk"));

            Callers.Add(new("anonymous", App.ProbeClient()));
            Callers.Add(new("owner", await TestUsers.SignedInClientAsync(App, device.Owner)));
            Callers.Add(new("buyer", await TestUsers.SignedInClientAsync(App, buyer)));
            Callers.Add(new("buyer key", App.ProbeClient(key.Key)));
            Callers.Add(new("finance", await TestUsers.SignedInClientAsync(App, await TestUsers.CreateAsync(App, Roles.Finance))));
            Callers.Add(new("admin", await TestUsers.SignedInClientAsync(App, await TestUsers.CreateAsync(App, Roles.Admin))));
            Callers.Add(new("device", App.ProbeClient(device.Credential)));
        }

        public async Task DisposeAsync()
        {
            foreach (var caller in Callers)
            {
                caller.Client.Dispose();
            }

            await App.DisposeAsync();
        }
    }
}
