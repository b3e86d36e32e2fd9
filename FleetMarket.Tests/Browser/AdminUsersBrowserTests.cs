using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>
/// An admin changes roles on Users and roles: every change asks for confirmation and a reason, a cancelled change
/// leaves the box as it was, and the last admin cannot withdraw their own Admin role. No page breaks the CSP.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AdminUsersBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1440, 900, "desktop")]
    [InlineData(390, 844, "phone")]
    public async Task RoleChanges_AskForAReason_LastAdminKeepsTheRole(int width, int height, string device)
    {
        await RemoveEveryAdminAsync();
        var admin = await TestUsers.CreateAsync(browser.App, Roles.Admin, $"only.admin.{device}@example.test");
        var owner = await TestUsers.CreateAsync(browser.App, Roles.Owner, $"new.finance.{device}@example.test");
        var page = await browser.NewPageAsync(width, height);
        var violations = CspViolations.Watch(page);
        var shell = await new LoginPage(page).SignInAsync(admin.Email, admin.Password);
        var users = new UsersPage(shell);
        await users.OpenAsync();

        // Granting a role: confirmed only once a reason is written.
        await users.ToggleAsync(owner.Email, Roles.Finance);
        await Assertions.Expect(users.Button("Grant")).ToBeDisabledAsync();
        await users.WriteReasonAsync("Joins the finance team this month");
        await page.WaitForTimeoutAsync(300); // the enabled button fades in
        await shell.ScreenshotAsync($"admin-users-grant-dialog-{device}");
        await users.ConfirmAsync("Grant");
        await Assertions.Expect(page.GetByText($"{owner.Email} is now Finance.")).ToBeVisibleAsync();
        await Assertions.Expect(users.RoleBox(owner.Email, Roles.Finance)).ToBeCheckedAsync();

        // Cancelling leaves the box as it was.
        await users.ToggleAsync(admin.Email, Roles.Admin);
        await Assertions.Expect(users.Dialog).ToContainTextAsync("This is your own Admin role");
        await users.CancelAsync();
        await Assertions.Expect(users.RoleBox(admin.Email, Roles.Admin)).ToBeCheckedAsync();

        // The last admin cannot withdraw their own Admin role, even with a reason.
        await users.ToggleAsync(admin.Email, Roles.Admin);
        await users.WriteReasonAsync("Stepping down");
        await users.ConfirmAsync("Withdraw");
        await Assertions.Expect(page.GetByText("is the last admin")).ToBeVisibleAsync();
        await Assertions.Expect(users.RoleBox(admin.Email, Roles.Admin)).ToBeCheckedAsync();
        await shell.ScreenshotAsync($"admin-users-last-admin-{device}");

        Assert.Empty(violations);
    }

    /// <summary>Each run starts with no admin but its own (the theory's other row made one).</summary>
    private Task RemoveEveryAdminAsync() => browser.App.InScopeAsync(async s =>
    {
        var users = s.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var user in await users.GetUsersInRoleAsync(Roles.Admin))
        {
            await users.RemoveFromRoleAsync(user, Roles.Admin);
        }
    });
}
