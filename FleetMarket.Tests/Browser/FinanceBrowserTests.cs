using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>Finance staff work the payout queue in the portal; every finance page, and the owner's payouts and devices, on desktop and phone.</summary>
[Collection(AppCollection.Name)]
public sealed class FinanceBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Dana = "dana.fischer@example.test";
    private const string Lee = "lee.nakamura@example.test";
    private const string Sam = "sam.okafor@example.test";

    private readonly PayoutBuilder _payouts = new(browser.App);
    private readonly MarketplaceBuilder _market = new(browser.App);

    [Fact]
    public async Task PayoutQueue_FilterHoldReleaseApprove_ThenBulkApprove_EveryFinancePageOnDesktopAndPhone()
    {
        // One owner earned through real work (with a car lease); three more have payouts of their own, two flagged.
        // Their devices' records: the worker's trusted, Dana's worth a look, Sam's failing, Lee without a device.
        var worker = await _payouts.OwnerWithAcceptedWorkAsync(await _market.BuyerWithBalanceAsync(), rows: 12);
        await _payouts.CarPaymentPlanAsync(worker.Owner, monthlyPaymentMinor: 1_50);
        await browser.App.RunRecurringJobAsync(SettlementTask.Id);
        await browser.App.RunRecurringJobAsync(PayoutRunTask.Id);
        var (dana, _) = await _payouts.PendingPayoutAsync(84_20, PayoutAnomalies.FarAboveUsual | PayoutAnomalies.MeteringBeyondBenchmark, Dana);
        await _payouts.PendingPayoutAsync(12_75, email: Lee);
        var (sam, _) = await _payouts.PendingPayoutAsync(231_00, PayoutAnomalies.HighRejectionRate, Sam);
        await _market.SetReliabilityRecordAsync(worker.DeviceId, valid: 48, invalid: 2, validStreak: 12);
        await _market.SetReliabilityRecordAsync((await _market.PairedDeviceOfAsync(dana)).DeviceId, valid: 6, invalid: 2);
        await _market.SetReliabilityRecordAsync((await _market.PairedDeviceOfAsync(sam)).DeviceId, valid: 1, invalid: 5);
        var finance = await TestUsers.CreateAsync(browser.App, Roles.Finance, "fin.review@example.test");

        var shell = await new LoginPage(await browser.NewPageAsync()).SignInAsync(finance.Email, finance.Password);
        await shell.ScreenshotAsync("finance-dashboard");
        var queue = new PayoutQueuePage(shell);
        var page = queue.Page;
        await queue.OpenAsync();
        await Assertions.Expect(queue.Row(worker.Owner.Email)).ToBeVisibleAsync();
        await Assertions.Expect(queue.Row(Dana).GetByText("Above usual")).ToBeVisibleAsync();
        await Assertions.Expect(queue.Row(worker.Owner.Email)).ToContainTextAsync("Reliability 94 %");
        await Assertions.Expect(queue.Row(Dana)).ToContainTextAsync("Reliability 70 %");
        await Assertions.Expect(queue.Row(Sam)).ToContainTextAsync("Reliability 25 % · 1 failing");
        await Assertions.Expect(queue.Row(Lee)).ToContainTextAsync("No devices");
        await shell.ScreenshotAsync("finance-payouts");

        // Filter to one owner, hold their payout with a reason: it leaves the pending queue.
        await queue.FilterByOwnerAsync("DANA");
        await Assertions.Expect(queue.Row(Lee)).ToHaveCountAsync(0);
        await queue.DecideAsync(Dana, "Hold", "Metering 3× the benchmark, asked the owner", async () =>
        {
            await page.WaitForTimeoutAsync(300); // the enabled button fades in
            await shell.ScreenshotAsync("finance-hold-dialog");
        });
        await Assertions.Expect(page.GetByText($"Held USD 84.20 to {Dana}.")).ToBeVisibleAsync();
        await Assertions.Expect(queue.Row(Dana)).ToHaveCountAsync(0);

        // On hold: release it with a reason, back to pending review; then approve it.
        await queue.FilterByStatusAsync("On hold");
        await Assertions.Expect(queue.Row(Dana)).ToContainTextAsync("On hold");
        await shell.ScreenshotAsync("finance-payouts-held");
        await queue.DecideAsync(Dana, "Release", "Owner explained: a long model, benchmark was stale");
        await Assertions.Expect(page.GetByText($"Released USD 84.20 to {Dana}: it is pending review again.")).ToBeVisibleAsync();
        await queue.FilterByStatusAsync("Pending review");
        await queue.DecideAsync(Dana, "Approve", "Checked with the owner");
        await Assertions.Expect(page.GetByText($"Approved USD 84.20 to {Dana}: the transfer is on its way.")).ToBeVisibleAsync();

        // Flagged only narrows the queue; then approve two others at once.
        await queue.FilterByOwnerAsync("");
        await queue.FlaggedOnlyAsync(true);
        await Assertions.Expect(queue.Row(Sam)).ToBeVisibleAsync();
        await Assertions.Expect(queue.Row(Lee)).ToHaveCountAsync(0);
        await queue.FlaggedOnlyAsync(false);
        await queue.SelectAsync(Lee);
        await queue.SelectAsync(worker.Owner.Email);
        await queue.ApproveSelectedAsync(2, null);
        await Assertions.Expect(page.GetByText("Approved 2 payouts")).ToBeVisibleAsync();
        await Assertions.Expect(queue.Row(Lee)).ToHaveCountAsync(0);
        await Assertions.Expect(queue.Row(Sam)).ToBeVisibleAsync();

        // The payout's audit history: every decision with its reason.
        await queue.FilterByStatusAsync("All statuses");
        await queue.FilterByOwnerAsync(Dana);
        await Assertions.Expect(queue.Row(Sam)).ToHaveCountAsync(0);
        await queue.ExpandAsync(Dana);
        var history = page.GetByRole(AriaRole.List, new() { Name = "Audit history" });
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);
        await Assertions.Expect(history).ToContainTextAsync("Held by fin.review@example.test: “Metering 3× the benchmark, asked the owner”");
        await Assertions.Expect(history).ToContainTextAsync("Released by");
        await Assertions.Expect(history).ToContainTextAsync("Approved by");
        await shell.ScreenshotAsync("finance-payout-audit");
        var decided = await browser.App.QueryAsync(db => db.Payouts.Where(p => p.Status == PayoutStatus.Approved || p.Status == PayoutStatus.Paid).CountAsync());
        Assert.Equal(3, decided);

        // The owner behind a payout: ledger, usage, devices, payouts, car lease.
        await queue.FilterByOwnerAsync(worker.Owner.Email);
        await Assertions.Expect(queue.Row(Dana)).ToHaveCountAsync(0);
        await queue.Row(worker.Owner.Email).GetByRole(AriaRole.Link, new() { Name = worker.Owner.Email }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = worker.Owner.Email })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await shell.ScreenshotAsync("finance-owner");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Ledger" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("Earnings claimed by payout");
        await TabsSettledAsync(page);
        await shell.ScreenshotAsync("finance-owner-ledger");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Usage" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("Settled");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Devices (1)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("0.85× reference");
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("94 % · trusted");
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("48 checked results agreed, 2 rejected, 0 timed out");
        await TabsSettledAsync(page);
        await shell.ScreenshotAsync("finance-owner-devices");

        await shell.GoToAsync("finance/settlement");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Platform revenue" })).ToBeVisibleAsync();
        await shell.ScreenshotAsync("finance-settlement");
        await shell.GoToAsync("finance/reconciliation");
        await Assertions.Expect(page.GetByTestId("stripe-not-configured")).ToContainTextAsync("payouts are simulated");
        await shell.ScreenshotAsync("finance-reconciliation");
        await shell.GoToAsync("finance/ledger");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the ledger" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ledger-check")).ToContainTextAsync("Balanced.");
        await shell.ScreenshotAsync("finance-ledger");

        // The same pages on a phone.
        var phone = await new LoginPage(await browser.NewPageAsync(width: 390, height: 844)).SignInAsync(finance.Email, finance.Password);
        await phone.ScreenshotAsync("finance-dashboard-narrow");
        foreach (var (path, name) in new[]
                 {
                     ("finance/payouts", "payouts"), ($"finance/owners/{worker.Owner.Id}", "owner"), ("finance/settlement", "settlement"),
                     ("finance/reconciliation", "reconciliation"), ("finance/ledger", "ledger"),
                 })
        {
            await phone.GoToAsync(path);
            await Assertions.Expect(phone.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await phone.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await phone.ScreenshotAsync($"finance-{name}-narrow");
        }

        // The owner sees the payout paid (simulated) and this month's statement.
        await Eventually.TrueAsync(() => browser.App.QueryAsync(db => db.Payouts.AnyAsync(p => p.OwnerId == worker.Owner.Id && p.Status == PayoutStatus.Paid)),
            TimeSpan.FromSeconds(30), "the owner's payout to be paid");
        var owner = await new LoginPage(await browser.NewPageAsync()).SignInAsync(worker.Owner.Email, worker.Owner.Password);
        await owner.GoToAsync("owner/payouts");
        await Assertions.Expect(owner.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Simulated" })).ToContainTextAsync("Paid");
        await Assertions.Expect(owner.Page.GetByTestId("statement-covered")).Not.ToHaveTextAsync("0 %");
        await owner.ScreenshotAsync("owner-payouts");
        var download = await owner.Page.RunAndWaitForDownloadAsync(() =>
            owner.Page.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var ownerPhone = await new LoginPage(await browser.NewPageAsync(width: 390, height: 844)).SignInAsync(worker.Owner.Email, worker.Owner.Password);
        await ownerPhone.GoToAsync("owner/payouts");
        await Assertions.Expect(ownerPhone.Page.GetByTestId("net-earnings")).ToBeVisibleAsync();
        await ownerPhone.ScreenshotAsync("owner-payouts-narrow");

        // The owner sees the device's reliability and the counts behind it.
        foreach (var (ownerShell, suffix) in new[] { (owner, ""), (ownerPhone, "-narrow") })
        {
            await ownerShell.GoToAsync("owner/devices");
            await Assertions.Expect(ownerShell.Page.GetByText("48 checked results agreed, 2 rejected, 0 timed out")).ToBeVisibleAsync();
            await ownerShell.ScreenshotAsync($"owner-devices-reliability{suffix}");
        }
    }

    /// <summary>For a screenshot: the pointer off the tabs and the active tab's underline done sliding.</summary>
    private static async Task TabsSettledAsync(IPage page)
    {
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(500);
    }
}
