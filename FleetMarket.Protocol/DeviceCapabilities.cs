using System.ComponentModel.DataAnnotations;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Protocol;

/// <summary>
/// What the worker found on the device, sent after pairing and whenever the worker starts: the execution
/// providers ONNX Runtime offers, the one that initialised and is used, and the reference benchmark's score.
/// </summary>
public sealed record DeviceCapabilities(
    [ProviderList] IReadOnlyList<string> AvailableProviders,
    [MaxLength(WireLimits.ExecutionProvider), PlainText] string ExecutionProvider,
    [Range(0, WireLimits.MaxBenchmarkScore)] double BenchmarkInferencesPerSecond,
    [MaxLength(WireLimits.WorkerVersion), PlainText] string WorkerVersion,
    [MaxLength(WireLimits.OperatingSystem), PlainText] string OperatingSystem);
