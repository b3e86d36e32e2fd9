using System.Net;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Integration;

/// <summary>The finance console and its exports open to the Finance role only; owners' statements to owners only.</summary>
[Collection(AppCollection.Name)]
public sealed class FinanceAuthorizationTests(FleetApp app) : IClassFixture<FleetApp>
{
    private static readonly string[] FinancePaths =
    [
        "/finance/payouts",
        "/finance/settlement",
        "/finance/reconciliation",
        "/finance/ledger",
        $"/finance/owners/{Guid.NewGuid()}",
        "/finance/export/payouts.csv",
        "/finance/export/postings.csv?from=2026-01-01&to=2026-12-31",
        "/finance/export/usage.csv?from=2026-01-01&to=2026-12-31",
    ];

    private const string StatementPath = "/owner/statements/2026-11.csv";

    public static TheoryData<string> OtherRoles => new() { Roles.Owner, Roles.Buyer, Roles.Admin };

    [Theory]
    [MemberData(nameof(OtherRoles))]
    public async Task FinancePagesAndExports_SignedInWithAnotherRole_AreRefused(string role)
    {
        using var client = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, role));

        foreach (var path in FinancePaths)
        {
            var response = await client.GetAsync(path);

            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"{role} got {(int)response.StatusCode} from {path}");
            Assert.Contains("/account/access-denied", response.Headers.Location?.ToString() ?? "/account/access-denied");
        }
    }

    [Fact]
    public async Task FinancePagesAndExports_Anonymous_AreSentToLogin()
    {
        using var client = app.NewClient(new HttpClientHandler { AllowAutoRedirect = false });

        foreach (var path in FinancePaths.Append(StatementPath))
        {
            var response = await client.GetAsync(path);

            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"{path} answered {(int)response.StatusCode}");
            Assert.Contains("/account/login", response.Headers.Location?.ToString() ?? "/account/login");
        }
    }

    [Fact]
    public async Task FinancePagesAndExports_SignedInAsFinance_Open()
    {
        using var client = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));

        foreach (var path in FinancePaths.Where(p => !p.StartsWith("/finance/owners/")))
        {
            var response = await client.GetAsync(path);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }

        Assert.Equal("text/csv", (await client.GetAsync("/finance/export/payouts.csv")).Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(Roles.Buyer)]
    [InlineData(Roles.Finance)]
    [InlineData(Roles.Admin)]
    public async Task OwnerStatement_SignedInWithAnotherRole_IsRefused(string role)
    {
        using var client = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, role));

        var response = await client.GetAsync(StatementPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Exports_BadRangeOrMonth_AreClearErrors()
    {
        using var finance = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));
        using var owner = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Owner));

        var backwards = await finance.GetAsync("/finance/export/postings.csv?from=2026-11-30&to=2026-11-01");
        var badMonth = await owner.GetAsync("/owner/statements/November.csv");

        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("'from' must be on or before 'to'", await backwards.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badMonth.StatusCode);
        Assert.Contains("yyyy-MM", await badMonth.Content.ReadAsStringAsync());
    }
}
