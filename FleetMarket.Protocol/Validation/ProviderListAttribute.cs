using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol.Validation;

/// <summary>
/// A device's available execution providers: each a non-empty plain name without commas (they are stored
/// comma-separated), together no longer than <see cref="WireLimits.AvailableProviders"/> once joined.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ProviderListAttribute : ValidationAttribute
{
    public ProviderListAttribute()
        : base($"The field {{0}} must list plain provider names without commas, at most {WireLimits.AvailableProviders} characters in all.")
    {
    }

    public override bool IsValid(object? value) => value is not IEnumerable<string?> providers || Fits(providers.ToList());

    private static bool Fits(List<string?> providers) =>
        providers.All(p => !string.IsNullOrWhiteSpace(p) && !p.Contains(',') && PlainText.Is(p))
        && string.Join(",", providers).Length <= WireLimits.AvailableProviders;
}
