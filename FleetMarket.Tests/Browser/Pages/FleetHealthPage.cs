using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>Admin → Fleet health: figures of the fleet that refresh by themselves, and charts of the last minutes.</summary>
public sealed class FleetHealthPage(ShellPage shell)
{
    public IPage Page => shell.Page;

    public async Task OpenAsync()
    {
        await shell.GoToAsync("admin/fleet-health");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Fleet health" })).ToBeVisibleAsync();
    }

    /// <summary>A figure on its card: devices-online, units-queued, units-running, settlement-lag, payouts-pending, rejected, units-per-second, lease-p95.</summary>
    public ILocator Figure(string name) => Page.GetByTestId(name);

    public ILocator Chart(string heading) =>
        Page.Locator(".fleet-chart").Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }) }).Locator("svg").First;
}
