using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class RoleNavigationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, string> RolePages => new()
    {
        { Roles.Owner, "My devices", "Payouts" },
        { Roles.Buyer, "Jobs", "My devices" },
        { Roles.Buyer, "Capacity", "Earnings" },
        { Roles.Buyer, "Reservations", "Payouts" },
        { Roles.Finance, "Payouts", "Users and roles" },
        { Roles.Admin, "Users and roles", "Jobs" },
    };

    [Theory]
    [MemberData(nameof(RolePages))]
    public async Task SignIn_EachRole_SeesItsOwnPagesOnly(string role, string ownPage, string otherPage)
    {
        var user = await TestUsers.CreateAsync(browser.App, role);
        var page = await browser.NewPageAsync();

        var shell = await new LoginPage(page).SignInAsync(user.Email, user.Password);

        await Assertions.Expect(shell.Navigation.GetByRole(AriaRole.Link, new() { Name = ownPage, Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(shell.Navigation.GetByRole(AriaRole.Link, new() { Name = otherPage, Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Hello");
        await shell.ScreenshotAsync($"dashboard-{role.ToLowerInvariant()}");

        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = ownPage, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = ownPage })).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"page-{role.ToLowerInvariant()}-{ownPage.ToLowerInvariant().Replace(' ', '-')}");
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoAndStaysOnLogin()
    {
        var user = await TestUsers.CreateAsync(browser.App, Roles.Owner);
        var page = await browser.NewPageAsync(width: 390, height: 844);

        await page.GotoAsync("account/login");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");
        await new ShellPage(page).ScreenshotAsync("login-error-narrow");
    }
}
