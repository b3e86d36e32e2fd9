using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>The app of the Fleet health tests samples its meter and reads the fleet every second, so figures move within a test.</summary>
public sealed class FleetHealthBrowserFixture() : BrowserFixture(new()
{
    ["FleetHealth:SampleInterval"] = "00:00:01",
    ["FleetHealth:FleetQueryInterval"] = "00:00:01",
});

/// <summary>
/// An admin watches Fleet health while devices work: the figures change without a reload (devices online, units
/// queued and running), and the charts of throughput, lease time and queues fill in. Screenshots at both widths.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FleetHealthBrowserTests(FleetHealthBrowserFixture browser) : IClassFixture<FleetHealthBrowserFixture>
{
    [Theory]
    [InlineData(1440, 900, "desktop")]
    [InlineData(390, 844, "phone")]
    public async Task FleetHealth_WhileDevicesWork_ShowsLiveFigures(int width, int height, string device)
    {
        var market = new MarketplaceBuilder(browser.App);
        var admin = await TestUsers.CreateAsync(browser.App, Roles.Admin);
        var page = await browser.NewPageAsync(width, height);
        var violations = CspViolations.Watch(page);
        var shell = await new LoginPage(page).SignInAsync(admin.Email, admin.Password);
        var health = new FleetHealthPage(shell);
        await health.OpenAsync();
        var onlineBefore = int.Parse(await health.Figure("devices-online").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // Two devices come online; one works through part of a job, a unit at a time, the other holds a unit.
        var worker = await market.PairedDeviceAsync(region: $"fleet-health-{device}");
        var holder = await market.PairedDeviceAsync(region: $"fleet-health-{device}");
        var buyer = await market.BuyerWithBalanceAsync();
        var jobId = await market.SubmitSampleJobAsync(buyer, rows: 40, rowsPerUnit: 2);
        await Assertions.Expect(health.Figure("devices-online")).ToHaveTextAsync($"{onlineBefore + 2}", new() { Timeout = 15_000 });
        using (var workerClient = market.DeviceClient(worker))
        using (var holderClient = market.DeviceClient(holder))
        {
            Assert.NotNull(await MarketplaceBuilder.LeaseAsync(holderClient));
            for (var i = 0; i < 8; i++)
            {
                (await MarketplaceBuilder.CompleteHonestlyAsync(workerClient, (await MarketplaceBuilder.LeaseAsync(workerClient))!)).EnsureSuccessStatusCode();
                await Task.Delay(400);
            }
        }

        // The page refreshes itself: the queue and the running unit show without a reload, and the charts draw.
        await Assertions.Expect(health.Figure("units-queued")).ToHaveTextAsync("11", new() { Timeout = 15_000 });
        await Assertions.Expect(health.Figure("units-running")).ToHaveTextAsync("1");
        await Assertions.Expect(health.Figure("lease-p95")).ToContainTextAsync("ms");
        await Assertions.Expect(health.Chart("Units per second")).ToBeVisibleAsync();
        await Assertions.Expect(health.Chart("Lease time")).ToBeVisibleAsync();
        await Assertions.Expect(health.Chart("Queue depth per job")).ToBeVisibleAsync();
        await Assertions.Expect(health.Chart("Devices and units")).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"admin-fleet-health-{device}");

        // Nothing spills sideways on a phone.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px at {width} px.");
        Assert.Empty(violations);

        // The theory's other row starts from an empty queue.
        await browser.App.InScopeAsync(s => s.GetRequiredService<JobService>().CancelAsync(buyer.Id, jobId));
    }
}
