using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>The portal's frame: navigation and the marker that says the circuit is live.</summary>
public sealed class ShellPage(IPage page)
{
    public IPage Page => page;

    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>A prerendered button ignores clicks until the circuit is interactive: wait for it.</summary>
    public Task WaitUntilInteractiveAsync() =>
        page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });

    public async Task GoToAsync(string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync();
    }

    public Task ScreenshotAsync(string name) => page.ScreenshotAsync(new()
    {
        Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"),
        FullPage = true,
        // Chips and snackbars fade between colours: show where they end up, not a frame of the way there.
        Animations = ScreenshotAnimations.Disabled,
    });
}
