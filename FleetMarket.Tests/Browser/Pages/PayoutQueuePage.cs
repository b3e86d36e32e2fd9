using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>The finance payout queue: filters, rows with their decisions, the decision dialog, bulk approval.</summary>
public sealed class PayoutQueuePage(ShellPage shell)
{
    public IPage Page => shell.Page;

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public async Task OpenAsync()
    {
        await shell.GoToAsync("finance/payouts");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Payouts" })).ToBeVisibleAsync();
    }

    public ILocator Row(string ownerEmail) => Page.GetByRole(AriaRole.Row).Filter(new() { HasText = ownerEmail });

    public Task FilterByOwnerAsync(string text) => Page.GetByRole(AriaRole.Textbox, new() { Name = "Owner", Exact = true }).FillAsync(text);

    public async Task FilterByStatusAsync(string status)
    {
        await Page.GetByLabel("Status", new() { Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = status, Exact = true }).ClickAsync();
    }

    public Task FlaggedOnlyAsync(bool on) => Page.GetByLabel("Flagged only").SetCheckedAsync(on);

    /// <summary>Presses a row's Approve, Hold or Release, writes the reason (or note), and confirms.</summary>
    public async Task DecideAsync(string ownerEmail, string decision, string? reason, Func<Task>? beforeConfirming = null)
    {
        await Row(ownerEmail).GetByRole(AriaRole.Button, new() { Name = decision, Exact = true }).ClickAsync();
        await ConfirmAsync(decision, reason, beforeConfirming);
    }

    /// <summary>Opens the row's details: notes, why it is flagged, its audit history.</summary>
    public Task ExpandAsync(string ownerEmail) => Row(ownerEmail).GetByRole(AriaRole.Button).First.ClickAsync();

    public Task SelectAsync(string ownerEmail) =>
        Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select the payout to {ownerEmail}" }).CheckAsync();

    public async Task ApproveSelectedAsync(int count, string? note)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Approve selected ({count})" }).ClickAsync();
        await ConfirmAsync($"Approve {count}", note);
    }

    private async Task ConfirmAsync(string confirm, string? reason, Func<Task>? beforeConfirming = null)
    {
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        if (reason is not null)
        {
            await Dialog.GetByRole(AriaRole.Textbox).FillAsync(reason);
        }

        // A required reason enables the button once the circuit has seen it.
        var button = Dialog.GetByRole(AriaRole.Button, new() { Name = confirm, Exact = true });
        await Assertions.Expect(button).ToBeEnabledAsync();
        if (beforeConfirming is not null)
        {
            await beforeConfirming();
        }

        await button.ClickAsync();
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }
}
