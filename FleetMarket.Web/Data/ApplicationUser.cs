using Microsoft.AspNetCore.Identity;

namespace FleetMarket.Web.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
