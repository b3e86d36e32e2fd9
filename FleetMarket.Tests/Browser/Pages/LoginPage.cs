using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>The statically rendered login form.</summary>
public sealed class LoginPage(IPage page)
{
    public async Task<ShellPage> SignInAsync(string email, string password)
    {
        await page.GotoAsync("account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        var shell = new ShellPage(page);
        await shell.WaitUntilInteractiveAsync();
        return shell;
    }
}
