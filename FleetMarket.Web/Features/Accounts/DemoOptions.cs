using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Features.Accounts;

/// <summary>The demo accounts seeded in Development only; the password comes from configuration.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string EmailDomain = "demo.fleetmarket.local";

    [Required, MinLength(8)]
    public string Password { get; set; } = "";

    public static string EmailFor(string role) => $"{role.ToLowerInvariant()}@{EmailDomain}";
}
