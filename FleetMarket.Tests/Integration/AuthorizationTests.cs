using System.Net;
using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class AuthorizationTests(FleetApp app) : IClassFixture<FleetApp>
{
    [Theory]
    [InlineData("/owner/devices")]
    [InlineData("/buyer/jobs")]
    [InlineData("/buyer/capacity")]
    [InlineData("/buyer/reservations")]
    [InlineData("/finance/payouts")]
    [InlineData("/admin/users")]
    [InlineData("/admin/background-tasks")]
    public async Task RolePage_Anonymous_IsSentToLogin(string path)
    {
        using var client = app.NewClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.Unauthorized,
            $"{path} answered {(int)response.StatusCode}");
        if (response.Headers.Location is { } location)
        {
            Assert.Contains("/account/login", location.ToString());
        }
    }

    [Theory]
    [InlineData(Roles.Owner, "/owner/devices")]
    [InlineData(Roles.Buyer, "/buyer/jobs")]
    [InlineData(Roles.Buyer, "/buyer/balance")]
    [InlineData(Roles.Buyer, "/buyer/capacity")]
    [InlineData(Roles.Buyer, "/buyer/reservations")]
    [InlineData(Roles.Finance, "/finance/payouts")]
    [InlineData(Roles.Admin, "/admin/users")]
    [InlineData(Roles.Owner, "/")]
    public async Task RolePage_SignedInWithThatRole_Renders(string role, string path)
    {
        using var client = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, role));

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_SignedInAsFinance_IsForbidden_AndAsAdmin_Opens()
    {
        using var finance = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Finance));
        using var admin = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Admin));

        var denied = await finance.GetAsync("/admin/background-tasks");
        var allowed = await admin.GetAsync("/admin/background-tasks");

        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("FleetMarket background tasks", await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OwnerPage_SignedInAsBuyer_IsSentToAccessDenied()
    {
        using var buyer = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Buyer));

        var response = await buyer.GetAsync("/owner/devices");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData(Roles.Finance)]
    [InlineData(Roles.Admin)]
    public async Task Register_AsStaffRole_IsRefused(string role)
    {
        var refused = await Assert.ThrowsAsync<DomainException>(() => app.InScopeAsync(services =>
            services.GetRequiredService<AccountService>().RegisterAsync($"{Guid.NewGuid():N}@example.test", TestUsers.Password, "Eve", role)));

        Assert.Contains("owner or a buyer", refused.Message);
    }

    [Fact]
    public async Task Logout_PostedWithoutAntiforgeryToken_IsRejectedAndTheUserStaysSignedIn()
    {
        using var client = await TestUsers.SignedInClientAsync(app, await TestUsers.CreateAsync(app, Roles.Buyer));

        var forged = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
    }
}
