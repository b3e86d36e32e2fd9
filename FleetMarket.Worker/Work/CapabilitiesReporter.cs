using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>What was measured and sent; <see cref="Problem"/> says why it was not measured or not taken.</summary>
public sealed record CapabilitiesReport(DeviceCapabilities? Capabilities, string? Problem);

/// <summary>
/// Measures the device (<see cref="ReferenceBenchmark"/>) and tells the marketplace its providers and score,
/// after pairing and whenever <c>run</c> starts, so the portal and matching see the device as it is now.
/// Never fatal: a device that cannot report still works.
/// </summary>
public sealed class CapabilitiesReporter(
    WorkerApiClient api,
    ExecutionProviderSelector providers,
    ReferenceBenchmark benchmark,
    ILogger<CapabilitiesReporter> logger)
{
    /// <summary>
    /// The informational version with its build metadata (the full commit id the SDK appends) cut to a short
    /// commit id, so it fits the server's limit of <see cref="Protocol.Validation.WireLimits.WorkerVersion"/> characters.
    /// </summary>
    public static string WorkerVersion { get; } =
        Shorten(typeof(CapabilitiesReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    private static string Shorten(string version)
    {
        const int ShortCommit = 12;
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        var shortened = plus >= 0 && version.Length > plus + 1 + ShortCommit ? version[..(plus + 1 + ShortCommit)] : version;
        return shortened.Length <= Protocol.Validation.WireLimits.WorkerVersion ? shortened : shortened[..Protocol.Validation.WireLimits.WorkerVersion];
    }

    public async Task<CapabilitiesReport> ReportAsync(CancellationToken cancellationToken)
    {
        BenchmarkResult result;
        try
        {
            // Off the caller's thread: a hosted service calling this must not hold up the host's start.
            result = await Task.Run(() => benchmark.Run(cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The benchmark failed; capabilities not reported.");
            return new CapabilitiesReport(null, $"the benchmark failed: {e.Message}");
        }

        var capabilities = new DeviceCapabilities(
            providers.AvailableProviders,
            result.ExecutionProvider,
            result.InferencesPerSecond,
            WorkerVersion,
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        logger.LogInformation("Execution providers offered: {Available}; using {Provider}. Benchmark: {Score:F0} inferences per second.",
            string.Join(", ", providers.AvailableProviders), result.ExecutionProvider, result.InferencesPerSecond);
        foreach (var failure in providers.Failures)
        {
            logger.LogWarning("Execution provider passed over: {Failure}", failure);
        }

        try
        {
            await api.ReportCapabilitiesAsync(capabilities, cancellationToken);
            return new CapabilitiesReport(capabilities, null);
        }
        catch (WorkerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogInformation("The marketplace does not take capability reports yet; carrying on.");
            return new CapabilitiesReport(capabilities, null);
        }
        catch (WorkerApiException e)
        {
            logger.LogWarning("Could not report capabilities ({Problem}); carrying on.", e.Message);
            return new CapabilitiesReport(capabilities, e.Message);
        }
    }
}
