using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser.Pages;

/// <summary>Admin → Users and roles: a checkbox per user and role, and the dialog that asks for a reason before a change.</summary>
public sealed class UsersPage(ShellPage shell)
{
    public IPage Page => shell.Page;

    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);

    public async Task OpenAsync()
    {
        await shell.GoToAsync("admin/users");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Users and roles" })).ToBeVisibleAsync();
    }

    public ILocator RoleBox(string email, string role) => Page.GetByRole(AriaRole.Checkbox, new() { Name = $"{role} role for {email}", Exact = true });

    /// <summary>Clicks the role's box, so that the confirmation dialog opens.</summary>
    public async Task ToggleAsync(string email, string role)
    {
        await RoleBox(email, role).ClickAsync();
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
    }

    public Task WriteReasonAsync(string reason) => Dialog.GetByRole(AriaRole.Textbox).FillAsync(reason);

    public ILocator Button(string name) => Dialog.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public async Task CancelAsync()
    {
        await Button("Cancel").ClickAsync();
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }

    public async Task ConfirmAsync(string button)
    {
        await Assertions.Expect(Button(button)).ToBeEnabledAsync();
        await Button(button).ClickAsync();
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }
}
