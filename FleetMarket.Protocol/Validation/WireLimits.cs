namespace FleetMarket.Protocol.Validation;

/// <summary>
/// The longest text and the plausible range of each value a worker sends. The server refuses anything beyond them,
/// and the domain's <c>FieldLimits</c> sizes the matching columns from these.
/// </summary>
public static class WireLimits
{
    public const int ExecutionProvider = 40;
    public const int WorkerVersion = 40;

    /// <summary>The available execution providers, stored comma-separated in one column of this width.</summary>
    public const int AvailableProviders = 200;

    /// <summary>Reported by the worker and shown nowhere yet; bounded all the same.</summary>
    public const int OperatingSystem = 100;

    /// <summary>Pairing codes are short; anything longer cannot be one.</summary>
    public const int PairingCode = 64;

    /// <summary>
    /// Inferences per second on the reference model: its 4,096-row batches of a small network run at about 100 million
    /// rows a second on two server CPU cores (112 million measured on this project's machine, more than the hundred
    /// million this bound was once, which refused a real worker's report), so a million million leaves a data centre
    /// GPU's headroom and still refuses 1e308.
    /// </summary>
    public const double MaxBenchmarkScore = 1_000_000_000_000;

    /// <summary>Device temperatures outside this range are sensor faults or lies, not weather.</summary>
    public const double MinTemperatureCelsius = -60;

    public const double MaxTemperatureCelsius = 150;
}
