using System.Net.Http.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Worker.Inference;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>The walking path as people see it: owner pairs a device, buyer runs a job, finance approves the payout.</summary>
[Collection(AppCollection.Name)]
public sealed class WalkingPathBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly MarketplaceBuilder _market = new(browser.App);

    [Fact]
    public async Task WalkingPath_InThePortal_FromPairingToApprovedPayout()
    {
        // Owner adds a device and reads the pairing code off the dialog.
        var owner = await TestUsers.CreateAsync(browser.App, Roles.Owner);
        var ownerShell = await new LoginPage(await browser.NewPageAsync(timeZone: "America/New_York")).SignInAsync(owner.Email, owner.Password);
        await ownerShell.GoToAsync("owner/devices");
        var ownerPage = ownerShell.Page;
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Add device" }).ClickAsync();
        await ownerPage.GetByLabel("Name").FillAsync("Model Y in the garage");
        await ownerPage.GetByLabel("Accelerator", new() { Exact = true }).FillAsync("HW4");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Add and get a pairing code" }).ClickAsync();
        var codeBox = ownerPage.GetByTestId("pairing-code");
        await Assertions.Expect(codeBox).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z0-9]{8}$"));
        await ownerShell.ScreenshotAsync("owner-pairing-code");
        var code = await codeBox.InnerTextAsync();
        await Assertions.Expect(ownerPage.GetByTestId("pairing-command")).ToContainTextAsync($"--code {code}");

        // The worker pairs with that code; the dialog follows it, and the page shows the device online without a reload.
        using var anonymous = browser.App.NewClient();
        var paired = await (await anonymous.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code))).Content.ReadFromJsonAsync<PairResponse>();
        await Assertions.Expect(ownerPage.GetByTestId("pairing-done")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ownerShell.ScreenshotAsync("owner-pairing-done");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        using var device = _market.DeviceClient(new PairedDevice(owner, paired!.DeviceId, paired.Credential));
        await Assertions.Expect(ownerPage.GetByRole(AriaRole.Row).Filter(new() { HasText = "Model Y in the garage" }))
            .ToContainTextAsync("Idle", new() { Timeout = 15_000 });
        await ownerShell.ScreenshotAsync("owner-devices");

        // The owner says when the car may compute. (Windows are sketched, then dropped: this test's clock
        // is whatever day CI runs on, and the job below must run; the rules themselves are tested in Unit/.)
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Actions for Model Y in the garage" }).ClickAsync();
        await ownerPage.GetByRole(AriaRole.Menuitem, new() { Name = "Availability" }).ClickAsync();

        // Rules start in the owner's own zone, and any other is a search away.
        var zone = ownerPage.GetByRole(AriaRole.Dialog).GetByLabel("Time zone");
        await Assertions.Expect(zone).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^America/New_York \(UTC-0[45]:00\)$"));
        await zone.FillAsync("berlin");
        await ownerPage.GetByRole(AriaRole.Option, new() { Name = "Europe/Berlin" }).ClickAsync();
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Add window" }).ClickAsync();
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Add departure" }).ClickAsync();
        await ownerShell.ScreenshotAsync("owner-availability");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Remove window" }).ClickAsync();
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Remove departure" }).ClickAsync();
        await ownerPage.GetByLabel("Minimum battery (%)").FillAsync("20");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(ownerPage.GetByText("Availability saved")).ToBeVisibleAsync();
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Actions for Model Y in the garage" }).ClickAsync();
        await ownerPage.GetByRole(AriaRole.Menuitem, new() { Name = "Availability" }).ClickAsync();
        await Assertions.Expect(ownerPage.GetByLabel("Minimum battery (%)")).ToHaveValueAsync("20");
        await Assertions.Expect(zone).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^Europe/Berlin \(UTC\+0[12]:00\)$"));
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // A buyer uploads a model and inputs and follows the job to completion.
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        var buyerShell = await new LoginPage(await browser.NewPageAsync()).SignInAsync(buyer.Email, buyer.Password);
        await buyerShell.GoToAsync("buyer/jobs");
        var buyerPage = buyerShell.Page;
        await buyerPage.GetByLabel("Name").FillAsync("Nightly scoring");
        // Each upload keeps a fresh file input for the next choice: find them by what they accept.
        var model = buyerPage.Locator("input[type=file][accept='.onnx']");
        await model.Last.SetInputFilesAsync(new FilePayload { Name = "notes.onnx", MimeType = "application/octet-stream", Buffer = "not a model"u8.ToArray() });
        await buyerPage.Locator("input[type=file][accept='.npy,.npz']").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "inputs.npy",
            MimeType = "application/octet-stream",
            Buffer = Npy.ToBytes(MarketplaceBuilder.SampleInputs(10)),
        });

        // A file that is no model is explained before anything is submitted; the right one is priced.
        await Assertions.Expect(buyerPage.GetByTestId("job-quote-problem")).ToContainTextAsync("ONNX");
        await Assertions.Expect(buyerPage.GetByRole(AriaRole.Button, new() { Name = "Submit job" })).ToBeDisabledAsync();
        await model.Last.SetInputFilesAsync(new FilePayload { Name = "mlp.onnx", MimeType = "application/octet-stream", Buffer = ReferenceModel.Build() });
        await Assertions.Expect(buyerPage.GetByTestId("job-quote")).ToContainTextAsync("10 rows. Estimated cost about USD");
        await buyerShell.ScreenshotAsync("buyer-job-quote");

        // The default verification (adaptive): a new device's results are checked on another owner's device, so a
        // second owner's worker is online, as the README suggests for watching it.
        await buyerPage.GetByRole(AriaRole.Button, new() { Name = "Submit job" }).ClickAsync();
        var card = buyerPage.GetByTestId("job-card").Filter(new() { HasText = "Nightly scoring" });
        await Assertions.Expect(card).ToBeVisibleAsync();
        await buyerShell.ScreenshotAsync("buyer-job-queued");
        using var checker = _market.DeviceClient(await _market.PairedDeviceAsync());

        await MarketplaceBuilder.CompleteAllOfferedAsync(device);
        await Assertions.Expect(card.GetByTestId("check-wait")).ToBeVisibleAsync();
        await buyerShell.ScreenshotAsync("buyer-job-checking");
        await MarketplaceBuilder.CompleteAllOfferedAsync(checker);
        await MarketplaceBuilder.CompleteAllOfferedAsync(device);

        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByRole(AriaRole.Link, new() { Name = "Download outputs.npy" })).ToBeVisibleAsync();
        await buyerShell.ScreenshotAsync("buyer-job-completed");
        var phone = await new LoginPage(await browser.NewPageAsync(width: 390, height: 844)).SignInAsync(buyer.Email, buyer.Password);
        await phone.GoToAsync("buyer/jobs");
        await Assertions.Expect(phone.Page.GetByTestId("job-card")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("buyer-jobs-narrow");
        await buyerShell.GoToAsync("buyer/balance");
        await buyerShell.ScreenshotAsync("buyer-balance");

        // Settlement runs; finance approves the owner's payout.
        await browser.App.RunRecurringJobAsync(SettlementTask.Id);
        await browser.App.RunRecurringJobAsync(PayoutRunTask.Id);
        var finance = await TestUsers.CreateAsync(browser.App, Roles.Finance);
        var financeShell = await new LoginPage(await browser.NewPageAsync()).SignInAsync(finance.Email, finance.Password);
        await financeShell.GoToAsync("finance/payouts");
        var row = financeShell.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = owner.Email });
        await financeShell.ScreenshotAsync("finance-payouts");
        await row.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await financeShell.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(financeShell.Page.GetByText($"to {owner.Email}: the transfer is on its way")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        // The owner links the car lease and sees how much of it the month's earnings cover.
        await ownerShell.GoToAsync("owner/earnings");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Link your car lease" }).ClickAsync();
        await ownerPage.GetByLabel("Lessor").FillAsync("Tesla Finance");
        await ownerPage.GetByLabel("Monthly payment").FillAsync("49.99");
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(ownerPage.GetByText("Car lease saved.")).ToBeVisibleAsync();

        // A few cents against the payment: a small share, written as one, not "0 %".
        await Assertions.Expect(ownerPage.GetByTestId("covered")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d+ %$"));
        await ownerShell.ScreenshotAsync("owner-earnings");
        var ownerPhone = await new LoginPage(await browser.NewPageAsync(width: 390, height: 844)).SignInAsync(owner.Email, owner.Password);
        await ownerPhone.GoToAsync("owner/earnings");
        await Assertions.Expect(ownerPhone.Page.GetByTestId("covered")).ToBeVisibleAsync();
        await ownerPhone.ScreenshotAsync("owner-earnings-narrow");
    }
}
