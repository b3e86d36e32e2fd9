using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>
/// Jobs of many units that each cost a fraction of a cent: the buyer's balance, the owner's statement and finance's
/// view of the owner show each job as one line with its exact total; a job whose buyer could not top up its hold
/// says so on its card. On desktop (1,440 px) and phone (390 px).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UsageByJobBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly MarketplaceBuilder _market = new(browser.App);

    [Fact]
    public async Task SubCentUsage_BalanceStatementAndDrillDown_ShowOneLinePerJob_PausedJobSaysWhy()
    {
        var app = browser.App;
        var device = await _market.PairedDeviceAsync(120);
        using var worker = _market.DeviceClient(device);

        // The model measured at 750 ms a row (3 s units of four rows, a tenth of a cent each at 1.20 an hour).
        var measuring = await _market.BuyerWithBalanceAsync();
        var first = await _market.SubmitSampleJobAsync(measuring, rows: 8, rowsPerUnit: 4);
        await WorkAsync(worker, 3_000);
        await CompletedAsync(first);

        // The buyer's first job runs as estimated: 50 units, five cents. The second costs ten times its estimate, and
        // the 40 cents the buyer started with cannot top it up: it pauses.
        var buyer = await _market.BuyerWithBalanceAsync(40);
        var scoring = await SubmitAsync(buyer, "Nightly scoring", rows: 200);
        await WorkAsync(worker, 3_000);
        await CompletedAsync(scoring);
        var embeddings = await SubmitAsync(buyer, "Embeddings", rows: 400);
        await WorkAsync(worker, 30_000);
        Assert.Equal(JobStatus.Paused, await app.QueryAsync(db => db.Jobs.Where(j => j.Id == embeddings).Select(j => j.Status).SingleAsync()));
        await app.RunRecurringJobAsync(SettlementTask.Id);
        var finance = await TestUsers.CreateAsync(app, Roles.Finance);

        foreach (var (width, height, suffix) in new[] { (1440, 900, ""), (390, 844, "-narrow") })
        {
            var buyerShell = await new LoginPage(await browser.NewPageAsync(width, height)).SignInAsync(buyer.Email, buyer.Password);
            await buyerShell.GoToAsync("buyer/balance");
            var usage = buyerShell.Page.GetByTestId("job-usage");
            await Assertions.Expect(usage).ToHaveCountAsync(2);
            await Assertions.Expect(usage.Filter(new() { HasText = "9 units" })).ToContainTextAsync("4 min 30 s of compute · exactly USD 0.09");
            await Assertions.Expect(usage.Filter(new() { HasText = "50 units" })).ToContainTextAsync("200 inferences · 2 min 30 s of compute · exactly USD 0.05");
            await Assertions.Expect(buyerShell.Page.GetByText("Usage of unit")).ToHaveCountAsync(0);
            await buyerShell.ScreenshotAsync($"buyer-balance-by-job{suffix}");

            await buyerShell.GoToAsync("buyer/jobs");
            var paused = buyerShell.Page.Locator("[data-testid=job-card][data-status=Paused]");
            await Assertions.Expect(paused.GetByTestId("pause-reason")).ToContainTextAsync("costs more than estimated");
            await Assertions.Expect(paused.GetByTestId("job-spent")).ToContainTextAsync("spent USD 0.09 of USD 0.15 held");
            await buyerShell.ScreenshotAsync($"buyer-jobs-paused{suffix}");

            var ownerShell = await new LoginPage(await browser.NewPageAsync(width, height)).SignInAsync(device.Owner.Email, device.Owner.Password);
            await ownerShell.GoToAsync("owner/payouts");
            var jobs = ownerShell.Page.GetByTestId("statement-jobs").Locator("tr");
            await Assertions.Expect(jobs).ToHaveCountAsync(3);
            await Assertions.Expect(jobs.Filter(new() { HasText = "50 units" })).ToContainTextAsync("USD 0.05");
            await ownerShell.ScreenshotAsync($"owner-statement-by-job{suffix}");

            var financeShell = await new LoginPage(await browser.NewPageAsync(width, height)).SignInAsync(finance.Email, finance.Password);
            await financeShell.GoToAsync($"finance/owners/{device.Owner.Id}");
            // On a phone the tab strip scrolls and its arrows cover the far tabs: a click event, not a pointer at a spot.
            await financeShell.Page.GetByRole(AriaRole.Tab, new() { Name = "Usage" }).DispatchEventAsync("click");
            var exact = financeShell.Page.GetByTestId("usage-exact");
            await Assertions.Expect(exact).ToHaveCountAsync(3);
            await Assertions.Expect(financeShell.Page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("Nightly scoring");
            await financeShell.Page.Mouse.MoveAsync(0, 0);
            await financeShell.Page.WaitForTimeoutAsync(500);
            await financeShell.ScreenshotAsync($"finance-owner-usage-by-job{suffix}");
            await financeShell.Page.GetByRole(AriaRole.Tab, new() { Name = "Ledger" }).DispatchEventAsync("click");
            await Assertions.Expect(financeShell.Page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("Usage of job Embeddings");
            await financeShell.Page.Mouse.MoveAsync(0, 0);
            await financeShell.Page.WaitForTimeoutAsync(500);
            await financeShell.ScreenshotAsync($"finance-owner-ledger-by-job{suffix}");
            await financeShell.GoToAsync("finance/ledger");
            await Assertions.Expect(financeShell.Page.GetByRole(AriaRole.Link, new() { Name = "Usage CSV (exact)" })).ToBeVisibleAsync();
            await financeShell.ScreenshotAsync($"finance-ledger-exports{suffix}");
        }
    }

    private Task<Guid> SubmitAsync(TestUser buyer, string name, int rows) =>
        browser.App.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission(name, ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(rows)),
                Verification: VerificationPolicy.Unchecked)));

    private static async Task WorkAsync(HttpClient worker, long computeMilliseconds)
    {
        while (await MarketplaceBuilder.LeaseAsync(worker) is { } lease)
        {
            (await MarketplaceBuilder.UploadAsync(worker, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(worker, lease), computeMilliseconds))
                .EnsureSuccessStatusCode();
        }
    }

    private Task CompletedAsync(Guid jobId) =>
        Eventually.TrueAsync(() => browser.App.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
}
