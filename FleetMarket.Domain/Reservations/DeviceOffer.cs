using FleetMarket.Domain.Devices;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Domain.Reservations;

/// <summary>
/// A paired device as buyers see it when they look for capacity: what it is and what it asks, not whose it is.
/// <see cref="BenchmarkScore"/> is the score to rank by: the measured one where the device's <see cref="ClaimedScore"/> is
/// <see cref="ScoreDisputed"/>.
/// </summary>
public sealed record DeviceOffer(
    Guid DeviceId,
    DeviceKind Kind,
    string Accelerator,
    string? ExecutionProvider,
    double? BenchmarkScore,
    int MemoryMb,
    string Region,
    long PricePerHourMinor,
    AvailabilityPolicy Policy,
    bool ScoreDisputed = false,
    double? ClaimedScore = null)
{
    /// <summary>Benchmark inferences per second bought by one minor unit an hour: the buyer's value for money.</summary>
    public double ScorePerPrice => (BenchmarkScore ?? 0) / PricePerHourMinor;

    public bool Meets(CapacityRequirements requirements) =>
        (requirements.MinimumScore is not { } score || BenchmarkScore >= score)
        && (requirements.ExecutionProvider is not { } provider || string.Equals(ExecutionProvider, provider, StringComparison.OrdinalIgnoreCase))
        && (requirements.MinimumMemoryMb is not { } memory || MemoryMb >= memory)
        && (requirements.Region is not { } region || string.Equals(Region, region, StringComparison.OrdinalIgnoreCase))
        && (requirements.MaxPricePerHourMinor is not { } price || PricePerHourMinor <= price);
}
