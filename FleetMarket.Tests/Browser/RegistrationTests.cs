using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class RegistrationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Register_AsOwnerFromTheLandingPage_LandsOnTheOwnerDashboard_AndLogsOut()
    {
        var page = await browser.NewPageAsync();
        var shell = new ShellPage(page);
        await page.GotoAsync("");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("lease");
        await shell.ScreenshotAsync("landing");

        await page.GetByRole(AriaRole.Link, new() { Name = "Start earning" }).ClickAsync();
        await page.GetByText("Earn with my car, PC or phone").ClickAsync();
        await page.GetByLabel("Name").FillAsync("Ada Owner");
        await page.GetByLabel("Email").FillAsync($"ada-{Guid.NewGuid():N}@example.test");
        await page.GetByLabel("Password").FillAsync("Garage-2026-ok");
        await shell.ScreenshotAsync("register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await shell.WaitUntilInteractiveAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Hello, Ada Owner");
        await Assertions.Expect(shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "My devices" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Start earning" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Register_WeakPassword_ExplainsTheRuleOnANarrowScreen()
    {
        var page = await browser.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("account/register");

        await page.GetByLabel("Name").FillAsync("Bo Buyer");
        await page.GetByLabel("Email").FillAsync($"bo-{Guid.NewGuid():N}@example.test");
        await page.GetByLabel("Password").FillAsync("alllowercase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The password needs at least 8 characters, with a digit, an upper-case and a lower-case letter.");
        await new ShellPage(page).ScreenshotAsync("register-error-narrow");
    }
}
