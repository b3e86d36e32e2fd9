using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>Picks an option of a MudSelect the way a person does: open it by its label, click the option.</summary>
public static class MudSelectChoice
{
    public static async Task ChooseAsync(this IPage page, string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = option }).First.ClickAsync();
    }
}
