using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Validation;

/// <summary>
/// The longest text and the plausible range of each value the marketplace stores from its users and devices.
/// The entity configurations size their columns from these, and the edges refuse anything beyond them, so a
/// value that passes validation always fits its column. The limits of what workers send live with the protocol.
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
    public const int ExecutionProvider = WireLimits.ExecutionProvider;
    public const int WorkerVersion = WireLimits.WorkerVersion;
    public const int AvailableProviders = WireLimits.AvailableProviders;
    public const int OperatingSystem = WireLimits.OperatingSystem;
    public const int PairingCode = WireLimits.PairingCode;

    /// <summary>The verification mode's name (none, redundancy, adaptive).</summary>
    public const int VerificationMode = 20;

    /// <summary>Finance and admin notes and reasons (audit entries, reviews, reconciliation).</summary>
    public const int Reason = 1000;

    public const double MaxBenchmarkScore = WireLimits.MaxBenchmarkScore;

    /// <summary>A car lease's monthly payment in minor units: 100,000.00, far above any car's.</summary>
    public const long MaxMonthlyPaymentMinor = 10_000_000;

    /// <summary>The most device memory a listing may claim: 16 TiB, in MB.</summary>
    public const int MaxMemoryMb = 16 * 1024 * 1024;

    public const double MinTemperatureCelsius = WireLimits.MinTemperatureCelsius;
    public const double MaxTemperatureCelsius = WireLimits.MaxTemperatureCelsius;
}
