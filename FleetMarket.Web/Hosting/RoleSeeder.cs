using FleetMarket.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace FleetMarket.Web.Hosting;

/// <summary>Makes sure the four roles exist, in every environment.</summary>
internal sealed class RoleSeeder(RoleManager<IdentityRole> roles)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
