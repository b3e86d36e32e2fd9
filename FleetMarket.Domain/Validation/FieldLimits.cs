namespace FleetMarket.Domain.Validation;

/// <summary>
/// The longest text and the plausible range of each value the marketplace stores from its users and devices.
/// The entity configurations size their columns from these, and the edges refuse anything beyond them, so a
/// value that passes validation always fits its column.
/// </summary>
public static class FieldLimits
{
    public const int JobName = 200;
    public const int ReservationName = 200;
    public const int DeviceName = 100;
    public const int Accelerator = 100;
    public const int Region = 50;
    public const int ApiKeyName = 100;
    public const int Lessor = 200;
    public const int ExecutionProvider = 40;
    public const int WorkerVersion = 40;

    /// <summary>The available execution providers, stored comma-separated in one column of this width.</summary>
    public const int AvailableProviders = 200;

    /// <summary>Reported by the worker and shown nowhere yet; bounded all the same.</summary>
    public const int OperatingSystem = 100;

    /// <summary>Pairing codes are short; anything longer cannot be one.</summary>
    public const int PairingCode = 64;

    /// <summary>The verification mode's name (none, redundancy, adaptive).</summary>
    public const int VerificationMode = 20;

    /// <summary>Finance and admin notes and reasons (audit entries, reviews, reconciliation).</summary>
    public const int Reason = 1000;

    /// <summary>
    /// Inferences per second on the reference model: its 4,096-row batches of a small network reach a few million
    /// rows a second on today's fastest accelerators, so a hundred million leaves headroom and still refuses 1e308.
    /// </summary>
    public const double MaxBenchmarkScore = 100_000_000;

    /// <summary>A car lease's monthly payment in minor units: 100,000.00, far above any car's.</summary>
    public const long MaxMonthlyPaymentMinor = 10_000_000;

    /// <summary>The most device memory a listing may claim: 16 TiB, in MB.</summary>
    public const int MaxMemoryMb = 16 * 1024 * 1024;

    /// <summary>Device temperatures outside this range are sensor faults or lies, not weather.</summary>
    public const double MinTemperatureCelsius = -60;

    public const double MaxTemperatureCelsius = 150;
}
