using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>The first admin of an environment without demo accounts comes from configuration.</summary>
[Collection(AppCollection.Name)]
public sealed class BootstrapAdminTests
{
    [Fact]
    public async Task Register_WithTheConfiguredBootstrapEmail_BecomesAdminToo()
    {
        await using var configured = new FleetApp(new() { ["Accounts:BootstrapAdminEmail"] = "founder@example.test" });

        var user = await configured.InScopeAsync(services =>
            services.GetRequiredService<AccountService>().RegisterAsync("Founder@example.test", TestUsers.Password, "Founder", Roles.Owner));

        var roles = await configured.InScopeAsync(services =>
            services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Web.Data.ApplicationUser>>().GetRolesAsync(user));
        Assert.Equal([Roles.Admin, Roles.Owner], roles.Order());
    }
}
