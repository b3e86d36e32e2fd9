using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>
/// A buyer whose only worker belongs to one owner sees why the job waits (its results need another owner's device,
/// and none is online) and, once they have waited past the limit, accepts them unchecked from the card. On desktop
/// (1,440 px) and phone (390 px).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CheckWaitBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly MarketplaceBuilder _market = new(browser.App);

    [Fact]
    public async Task ResultsWaitingForACheck_TheCardSaysWhy_AndTheBuyerAcceptsThemUnchecked()
    {
        var app = browser.App;
        // A price no other test's device asks: only this owner's device could run the job, or check it.
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 7);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await app.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Receipts OCR", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(8)), RowsPerUnit: 4,
                MaxPricePerHourMinor: 7, Verification: VerificationPolicy.Adaptive)));
        using (var worker = _market.DeviceClient(device))
        {
            await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
        }

        // The results came in ten minutes ago, past the five-minute limit.
        await app.InScopeAsync(s => s.GetRequiredService<Web.Data.FleetDbContext>().WorkUnits
            .Where(u => u.JobId == jobId && u.Status == WorkUnitStatus.Checking)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.CompletedAt, DateTimeOffset.UtcNow.AddMinutes(-10))));

        var phone = await new LoginPage(await browser.NewPageAsync(390, 844)).SignInAsync(buyer.Email, buyer.Password);
        await phone.GoToAsync("buyer/jobs");
        await Assertions.Expect(phone.Page.GetByTestId("check-wait")).ToContainTextAsync("No device of another owner is online");
        await phone.ScreenshotAsync("buyer-job-check-wait-narrow");

        var shell = await new LoginPage(await browser.NewPageAsync(1440, 900)).SignInAsync(buyer.Email, buyer.Password);
        await shell.GoToAsync("buyer/jobs");
        var card = shell.Page.GetByTestId("job-card").Filter(new() { HasText = "Receipts OCR" });
        await Assertions.Expect(card.GetByTestId("check-wait")).ToContainTextAsync("2 results wait for a check on another owner's device");
        await shell.ScreenshotAsync("buyer-job-check-wait");

        await card.GetByTestId("waive-checks").ClickAsync();
        await shell.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Accept unchecked" }).ClickAsync();

        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("job-verification")).ToContainTextAsync("Not verified");
        await Assertions.Expect(card.GetByTestId("job-times")).ToContainTextAsync($"id {jobId}");
        await shell.ScreenshotAsync("buyer-job-accepted-unchecked");
        Assert.Equal(2, await app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
    }
}
