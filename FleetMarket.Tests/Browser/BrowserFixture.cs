using FleetMarket.Tests.Builders;
using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>
/// One app and one Chromium for a class of browser tests. Uses CHROMIUM_PATH, else Debian's
/// /usr/bin/chromium when present, else the browser Playwright installed.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public BrowserFixture()
        : this([])
    {
    }

    /// <param name="settings">Configuration for the app on top of <see cref="FleetApp.TestSettings"/>.</param>
    protected BrowserFixture(Dictionary<string, string?> settings) => App = new FleetApp(settings);

    public FleetApp App { get; }

    public IBrowser Browser { get; private set; } = default!;

    public static string ScreenshotFolder { get; } =
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
            : null;
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <param name="timeZone">The zone the browser says it is in (IANA); the machine's own when null.</param>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = timeZone,
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
