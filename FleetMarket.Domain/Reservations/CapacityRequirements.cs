using System.ComponentModel.DataAnnotations;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Reservations;

/// <summary>What a buyer needs of a device; a null requirement accepts any device.</summary>
public sealed record CapacityRequirements(
    [Range(0, FieldLimits.MaxBenchmarkScore)] double? MinimumScore = null,
    [MaxLength(FieldLimits.ExecutionProvider), PlainText] string? ExecutionProvider = null,
    [Range(0, FieldLimits.MaxMemoryMb)] int? MinimumMemoryMb = null,
    [MaxLength(FieldLimits.Region), PlainText] string? Region = null,
    long? MaxPricePerHourMinor = null)
{
    public static CapacityRequirements Any { get; } = new();

    /// <summary>What is wrong with the requirements, prices read in <paramref name="currency"/>; null when nothing is.</summary>
    public string? Problem(string currency) => this switch
    {
        { MinimumScore: < 0 } => "The minimum benchmark score cannot be negative.",
        { MinimumMemoryMb: < 0 } => "The minimum memory cannot be negative.",
        { MaxPricePerHourMinor: <= 0 } => "The maximum price per device-hour must be above zero.",
        { MaxPricePerHourMinor: > UsagePricing.MaxPricePerHourMinor } => $"The maximum price per device-hour can be at most {UsagePricing.MaxPriceText(currency)}.",
        _ => null,
    };
}
