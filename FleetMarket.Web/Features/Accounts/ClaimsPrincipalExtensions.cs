using System.Security.Claims;

namespace FleetMarket.Web.Features.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; pages behind [Authorize] always have one.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");

    /// <summary>What to call the user: their display name, else their email.</summary>
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.GivenName) ?? user.Identity?.Name ?? "";
}
