using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Features.Accounts;

/// <summary>Who becomes the first admin in an environment with no demo accounts.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>The account registered with this email is granted Admin; later admins are granted by an admin.</summary>
    [EmailAddress]
    public string? BootstrapAdminEmail { get; set; }
}
