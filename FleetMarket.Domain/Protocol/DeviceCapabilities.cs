namespace FleetMarket.Domain.Protocol;

/// <summary>
/// What the worker found on the device, sent after pairing and whenever the worker starts: the execution
/// providers ONNX Runtime offers, the one that initialised and is used, and the reference benchmark's score.
/// </summary>
public sealed record DeviceCapabilities(
    IReadOnlyList<string> AvailableProviders,
    string ExecutionProvider,
    double BenchmarkInferencesPerSecond,
    string WorkerVersion,
    string OperatingSystem);
