using System.Text.RegularExpressions;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Browser.Pages;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Worker.Inference;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>A buyer finds free capacity, reserves device-hours, runs a job on them and cancels the reservation.</summary>
[Collection(AppCollection.Name)]
public sealed class ReservationsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly MarketplaceBuilder _market = new(browser.App);

    [Fact]
    public async Task Reservations_BuyerReservesFromCapacity_RunsAJobOnIt_AndCancelsIt()
    {
        // Three devices that are free all week (20×, 3× and 8× the reference); the GPU gives the most speed per price, the car is the cheapest.
        await _market.BenchmarkedDeviceAsync(new NewDevice("Gaming PC", DeviceKind.Pc, "RTX 4090", 24_576, "eu-west", new Money(90, "USD")), "CUDA", 2_000_000_000);
        await _market.BenchmarkedDeviceAsync(new NewDevice("Model Y", DeviceKind.Car, "HW4", 16_384, "us-west", new Money(40, "USD")), "CPU", 300_000_000);
        await _market.BenchmarkedDeviceAsync(new NewDevice("MacBook", DeviceKind.Pc, "Apple M3", 16_384, "us-west", new Money(60, "USD")), "CoreML", 800_000_000);
        var buyer = await _market.BuyerWithBalanceAsync(50_00);
        var shell = await new LoginPage(await browser.NewPageAsync()).SignInAsync(buyer.Email, buyer.Password);
        var page = shell.Page;

        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "Capacity", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Capacity" })).ToBeVisibleAsync();
        var devices = page.GetByTestId("capacity-devices").Locator("tbody tr");
        await Assertions.Expect(devices).ToHaveCountAsync(3);
        await Assertions.Expect(devices.First).ToContainTextAsync("RTX 4090");
        await Assertions.Expect(page.GetByTestId("capacity-chart").Locator("svg").First).ToBeVisibleAsync();
        await shell.ScreenshotAsync("buyer-capacity");

        // Asking for more than any device scores empties the list, and says how to get out of it.
        await page.GetByLabel("Min speed").FillAsync("5000");
        await page.GetByLabel("Min speed").BlurAsync();
        await Assertions.Expect(page.GetByTestId("capacity-empty")).ToContainTextAsync("No free capacity matches these filters");
        await shell.ScreenshotAsync("buyer-capacity-empty");
        await page.GetByTestId("capacity-empty").GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Assertions.Expect(devices).ToHaveCountAsync(3);

        // Only us-west: the car and the laptop remain.
        await page.ChooseAsync("Region", "us-west");
        await Assertions.Expect(devices).ToHaveCountAsync(2);
        await Assertions.Expect(devices.First).ToContainTextAsync("Apple M3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Batch run");

        // More hours than the default day-long window holds: the dialog stays open and says why.
        await dialog.GetByLabel("Device-hours").FillAsync("500");
        await dialog.GetByLabel("Device-hours").BlurAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync(new Regex(@"Only \d+ device-hours meet the requirements"));

        await dialog.GetByLabel("Device-hours").FillAsync("3");
        await dialog.GetByLabel("Device-hours").BlurAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Region us-west");
        // Prefilled with the dearest price among the devices shown: the laptop's.
        await Assertions.Expect(dialog.GetByTestId("most-held")).ToContainTextAsync("USD 1.80");
        await shell.ScreenshotAsync("buyer-reserve-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();

        // The cheapest device-hours are taken: three on the car, at its price.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Reservations" })).ToBeVisibleAsync();
        var card = page.GetByTestId("reservation-card").Filter(new() { HasText = "Batch run" });
        // It starts on the next whole hour (UTC), which may already have struck.
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", new Regex("^(Upcoming|Active)$"));
        await Assertions.Expect(card).ToContainTextAsync("3 booked · 3 remaining");
        await Assertions.Expect(card).ToContainTextAsync("USD 0.00 of USD 1.20 held");
        await card.GetByRole(AriaRole.Button, new() { Name = "Show devices" }).ClickAsync();
        var reserved = card.GetByTestId("reserved-devices").Locator("tbody tr");
        await Assertions.Expect(reserved).ToHaveCountAsync(1);
        await Assertions.Expect(reserved.First).ToContainTextAsync("HW4");
        await shell.ScreenshotAsync("buyer-reservations");

        // A high-priority job on the reservation says so on its card.
        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Reserved scoring");
        await page.Locator("input[type=file][accept='.onnx']").Last.SetInputFilesAsync(new FilePayload { Name = "mlp.onnx", MimeType = "application/octet-stream", Buffer = ReferenceModel.Build() });
        await page.Locator("input[type=file][accept='.npy,.npz']").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "inputs.npy",
            MimeType = "application/octet-stream",
            Buffer = Npy.ToBytes(MarketplaceBuilder.SampleInputs(4)),
        });
        await page.ChooseAsync("Priority", "High");
        await page.ChooseAsync("Run on", "Batch run");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit job" }).ClickAsync();
        var job = page.GetByTestId("job-card").Filter(new() { HasText = "Reserved scoring" });
        await Assertions.Expect(job.GetByTestId("job-priority")).ToHaveTextAsync("High priority");
        await Assertions.Expect(job.GetByTestId("job-reservation")).ToHaveTextAsync("Reservation: Batch run");
        await shell.ScreenshotAsync("buyer-job-on-reservation");

        // On a phone the pages stack: filters wrap, tables become cards. This buyer is in Oslo: the window is chosen,
        // and reservations shown, in their zone.
        var phone = await new LoginPage(await browser.NewPageAsync(width: 390, height: 844, timeZone: "Europe/Oslo")).SignInAsync(buyer.Email, buyer.Password);
        await phone.GoToAsync("buyer/capacity");
        await Assertions.Expect(phone.Page.GetByTestId("capacity-devices").Locator("tbody tr")).ToHaveCountAsync(3);
        await phone.ScreenshotAsync("buyer-capacity-narrow");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.Page.GetByRole(AriaRole.Dialog).GetByTestId("most-held")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Page.GetByRole(AriaRole.Dialog).GetByTestId("window-zone")).ToContainTextAsync("Dates and hours are Europe/Oslo");
        await phone.ScreenshotAsync("buyer-reserve-dialog-narrow");
        await phone.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await phone.GoToAsync("buyer/reservations");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Show devices" }).ClickAsync();
        await Assertions.Expect(phone.Page.GetByTestId("reserved-devices")).ToContainTextAsync("HW4");
        await Assertions.Expect(phone.Page.GetByText("Europe/Oslo").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync("buyer-reservations-narrow");

        // Cancelling gives the hours back and stops the reservation's jobs.
        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "Reservations", Exact = true }).ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Cancel reservation" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel reservation" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Reservation 'Batch run' cancelled.")).ToBeVisibleAsync();
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "Cancelled");
        await Assertions.Expect(card.Locator(".mud-chip")).ToHaveClassAsync(new Regex("mud-chip-color-error"));
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Cancel reservation" })).ToHaveCountAsync(0);
        await Assertions.Expect(card).ToContainTextAsync("0 remaining");
        await shell.GoToAsync("buyer/reservations"); // a fresh page, without the snackbars over the card
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "Cancelled");
        await shell.ScreenshotAsync("buyer-reservation-cancelled");

        await shell.GoToAsync("buyer/jobs");
        await Assertions.Expect(page.GetByTestId("job-card").Filter(new() { HasText = "Reserved scoring" })).ToHaveAttributeAsync("data-status", "Cancelled");
    }

    /// <summary>Opens a MudSelect by its label and picks the option that starts with <paramref name="option"/>.</summary>
}
