using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Role changes need a reason, which the audit log keeps; the marketplace never loses its last admin.</summary>
[Collection(AppCollection.Name)]
public sealed class AdminRoleTests(FleetApp app) : IClassFixture<FleetApp>
{
    [Fact]
    public async Task WithdrawAdmin_FromTheLastAdmin_IsRefused_AndNothingChanges()
    {
        var last = await OnlyAdminAsync();
        var entries = await app.QueryAsync(db => db.AuditLog.CountAsync());

        var refused = await Assert.ThrowsAsync<DomainException>(() => SetRoleAsync(last, last.Id, Roles.Admin, granted: false, "stepping down"));

        Assert.Contains("last admin", refused.Message);
        Assert.Equal([last.Id], await AdminIdsAsync());
        Assert.Equal(entries, await app.QueryAsync(db => db.AuditLog.CountAsync()));
    }

    [Fact]
    public async Task WithdrawAdmin_WhileAnotherAdminRemains_IsDone()
    {
        var first = await OnlyAdminAsync();
        var second = await TestUsers.CreateAsync(app, Roles.Admin);

        await SetRoleAsync(first, first.Id, Roles.Admin, granted: false, "handing over to the new admin");

        Assert.Equal([second.Id], await AdminIdsAsync());
    }

    [Fact]
    public async Task RoleChange_IsAuditedWithTheReason()
    {
        var admin = await TestUsers.CreateAsync(app, Roles.Admin);
        var user = await TestUsers.CreateAsync(app, Roles.Owner);

        await SetRoleAsync(admin, user.Id, Roles.Finance, granted: true, "joins the finance team");

        var entry = await app.QueryAsync(db => db.AuditLog.SingleAsync(e => e.Subject == $"user:{user.Id}"));
        Assert.Equal(("role.grant", admin.Email), (entry.Action, entry.Actor));
        Assert.Equal($"Finance for {user.Email}: joins the finance team", entry.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task RoleChange_WithoutAReason_IsRefused(string reason)
    {
        var admin = await TestUsers.CreateAsync(app, Roles.Admin);
        var user = await TestUsers.CreateAsync(app, Roles.Owner);

        var refused = await Assert.ThrowsAsync<DomainException>(() => SetRoleAsync(admin, user.Id, Roles.Finance, granted: true, reason));

        Assert.Contains("reason", refused.Message);
        Assert.False(await app.QueryAsync(db => db.AuditLog.AnyAsync(e => e.Subject == $"user:{user.Id}")));
    }

    /// <summary>A new admin, after every other admin (from earlier tests) has stepped down.</summary>
    private async Task<TestUser> OnlyAdminAsync()
    {
        var admin = await TestUsers.CreateAsync(app, Roles.Admin);
        foreach (var other in (await AdminIdsAsync()).Where(id => id != admin.Id))
        {
            await SetRoleAsync(admin, other, Roles.Admin, granted: false, "test: leave one admin");
        }

        return admin;
    }

    private Task<List<string>> AdminIdsAsync() => app.InScopeAsync(async s =>
        (await s.GetRequiredService<UserManager<ApplicationUser>>().GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToList());

    private Task SetRoleAsync(TestUser admin, string userId, string role, bool granted, string reason) =>
        app.InScopeAsync(s => s.GetRequiredService<AccountService>().SetRoleAsync(new Actor(admin.Id, admin.Email), userId, role, granted, reason));
}
