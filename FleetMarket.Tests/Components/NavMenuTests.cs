using Bunit;
using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Components.Layout;

namespace FleetMarket.Tests.Components;

public sealed class NavMenuTests : MudTestContext
{
    [Theory]
    [InlineData(Roles.Owner, "owner/devices", "buyer/jobs")]
    [InlineData(Roles.Buyer, "buyer/jobs", "owner/devices")]
    [InlineData(Roles.Buyer, "buyer/capacity", "owner/earnings")]
    [InlineData(Roles.Buyer, "buyer/reservations", "finance/payouts")]
    [InlineData(Roles.Owner, "owner/earnings", "buyer/capacity")]
    [InlineData(Roles.Finance, "finance/payouts", "admin/users")]
    [InlineData(Roles.Admin, "admin/users", "finance/payouts")]
    public void NavMenu_SignedInWithOneRole_ShowsThatRolesPagesOnly(string role, string shown, string hidden)
    {
        AddAuthorization().SetAuthorized("someone@example.test").SetRoles(role);

        var menu = Render<NavMenu>();

        Assert.NotEmpty(menu.FindAll($"a[href='{shown}']"));
        Assert.Empty(menu.FindAll($"a[href='{hidden}']"));
    }
}
