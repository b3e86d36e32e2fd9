using System.Net;
using System.Net.Http.Headers;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class ApiKeysBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ApiKeys_BuyerCreatesAKey_SeesItOnce_UsesIt_RevokesIt()
    {
        var buyer = await TestUsers.CreateAsync(browser.App, Roles.Buyer);
        var shell = await new LoginPage(await browser.NewPageAsync()).SignInAsync(buyer.Email, buyer.Password);
        await shell.GoToAsync("buyer/api-keys");
        var page = shell.Page;

        await page.GetByLabel("New key's name").FillAsync("nightly pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = await page.GetByTestId("api-key").InnerTextAsync();
        await shell.ScreenshotAsync("buyer-api-key-created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        using var client = browser.App.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/balance")).StatusCode);
        await Assertions.Expect(page.GetByText(key.Trim())).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "nightly pipeline" })
            .GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "nightly pipeline" })).ToContainTextAsync("Revoked");
        await shell.ScreenshotAsync("buyer-api-keys");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/balance")).StatusCode);
    }
}
