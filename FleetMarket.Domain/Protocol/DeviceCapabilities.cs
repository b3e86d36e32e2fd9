using System.ComponentModel.DataAnnotations;
using FleetMarket.Domain.Validation;

namespace FleetMarket.Domain.Protocol;

/// <summary>
/// What the worker found on the device, sent after pairing and whenever the worker starts: the execution
/// providers ONNX Runtime offers, the one that initialised and is used, and the reference benchmark's score.
/// </summary>
public sealed record DeviceCapabilities(
    [ProviderList] IReadOnlyList<string> AvailableProviders,
    [MaxLength(FieldLimits.ExecutionProvider), PlainText] string ExecutionProvider,
    [Range(0, FieldLimits.MaxBenchmarkScore)] double BenchmarkInferencesPerSecond,
    [MaxLength(FieldLimits.WorkerVersion), PlainText] string WorkerVersion,
    [MaxLength(FieldLimits.OperatingSystem), PlainText] string OperatingSystem);
