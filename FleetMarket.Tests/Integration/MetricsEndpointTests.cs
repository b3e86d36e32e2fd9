using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Verification;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// /metrics serves the marketplace's meter in Prometheus's text format, to admins only: after a job's units are leased,
/// run, one result is outvoted and rejected, and more work waits, every counter, the lease-time histogram and the fleet
/// gauges are there with the values that work left.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class MetricsEndpointTests : IAsyncLifetime
{
    private readonly FleetApp _app = new(new()
    {
        ["FleetHealth:SampleInterval"] = "00:00:00.200",
        ["FleetHealth:FleetQueryInterval"] = "00:00:00.200",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Metrics_AfterRealWork_AdminSeesTheMarketplaceMeters()
    {
        var market = new MarketplaceBuilder(_app);
        var honest = await market.PairedDeviceAsync(region: "metrics");
        var cheat = await market.PairedDeviceAsync(region: "metrics");
        var tieBreaker = await market.PairedDeviceAsync(region: "metrics");
        var buyer = await market.BuyerWithBalanceAsync();
        await market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 2, VerificationPolicy.Create(VerificationMode.Redundancy, replicas: 2));
        using (var honestClient = market.DeviceClient(honest))
        using (var cheatClient = market.DeviceClient(cheat))
        using (var tieBreakerClient = market.DeviceClient(tieBreaker))
        {
            (await MarketplaceBuilder.CompleteHonestlyAsync(honestClient, (await MarketplaceBuilder.LeaseAsync(honestClient))!)).EnsureSuccessStatusCode();
            var cheatLease = (await MarketplaceBuilder.LeaseAsync(cheatClient))!;
            (await MarketplaceBuilder.UploadAsync(cheatClient, cheatLease.LeaseId, MarketplaceBuilder.ZeroOutputs(rows: 2))).EnsureSuccessStatusCode();
            (await MarketplaceBuilder.CompleteHonestlyAsync(tieBreakerClient, (await MarketplaceBuilder.LeaseAsync(tieBreakerClient))!)).EnsureSuccessStatusCode();
        }

        // Work that waits: three units queued, none leased.
        var waiting = await market.SubmitSampleJobAsync(buyer, rows: 6, rowsPerUnit: 2);
        using var admin = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Admin));

        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await admin.GetStringAsync("/metrics");
            return Value(metrics, "fleetmarket_units_queued") >= 3;
        }, TimeSpan.FromSeconds(30), "the fleet gauges to show the queued job");

        Assert.Equal(3, Value(metrics, "fleetmarket_leases_total"));
        Assert.Equal(3, Value(metrics, "fleetmarket_completions_total", "outcome=\"taken\""));
        Assert.Equal(1, Value(metrics, "fleetmarket_results_rejected_total"));
        Assert.True(Value(metrics, "fleetmarket_bytes_relayed_bytes_total", "direction=\"download\"") > 0, "downloads relayed");
        Assert.True(Value(metrics, "fleetmarket_bytes_relayed_bytes_total", "direction=\"upload\"") > 0, "uploads relayed");
        Assert.True(Value(metrics, "fleetmarket_lease_duration_seconds_count", "granted=\"true\"") >= 3, "lease answers timed");
        Assert.True(Value(metrics, "fleetmarket_devices_online") >= 3, "the paired devices are online");
        Assert.Equal(0, Value(metrics, "fleetmarket_units_running"));
        Assert.Equal(3, Value(metrics, "fleetmarket_job_units_queued", $"fleetmarket_job_id=\"{waiting}\""));
        Assert.True(Value(metrics, "fleetmarket_settlement_lag_seconds") >= 0, "settlement lag reported");
        Assert.Equal(0, Value(metrics, "fleetmarket_payouts_pending"));
        Assert.Contains("http_server_request_duration_seconds", metrics);
    }

    [Fact]
    public async Task Metrics_NotAnAdmin_IsRefused()
    {
        using var anonymous = _app.ProbeClient();
        using var owner = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Owner));
        using var finance = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Finance));

        var anonymousAnswer = await anonymous.GetAsync("/metrics");
        Assert.True(anonymousAnswer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"anonymous: {anonymousAnswer.StatusCode}");
        foreach (var client in new[] { owner, finance })
        {
            var answer = await client.GetAsync("/metrics");
            Assert.True(answer.StatusCode is HttpStatusCode.Forbidden
                        || (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location!.OriginalString.Contains("access-denied")),
                $"{(int)answer.StatusCode} {answer.Headers.Location}");
            Assert.DoesNotContain("fleetmarket_", await answer.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Otlp_WhenConfigured_TracesRequestsAndBackgroundTasks()
    {
        Assert.Null(_app.Services.GetService<TracerProvider>());
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BackgroundTaskTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        // Nothing listens on this port: the exporter's failures are its own, and the app goes on.
        await using var traced = new FleetApp(new() { [TelemetryExtensions.OtlpEndpointVariable] = "http://127.0.0.1:9" });

        Assert.NotNull(traced.Services.GetService<TracerProvider>());
        await traced.RunRecurringJobAsync(SettlementTask.Id);
        lock (spans)
        {
            Assert.Contains(spans, span => span.DisplayName == $"{nameof(SettlementTask)}.{nameof(SettlementTask.RunAsync)}");
        }
    }

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain <paramref name="label"/>; NaN when there is none.</summary>
    private static double Value(string metrics, string name, string label = "")
    {
        foreach (Match sample in Sample().Matches(metrics))
        {
            if (sample.Groups["name"].Value == name && sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
