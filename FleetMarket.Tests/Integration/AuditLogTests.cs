using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Credential changes and role grants leave an audit entry naming who did what to what.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditLogTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task ApiKeyCreatedAndRevoked_BothAudited_UnderTheBuyersEmail()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "ci"));
        await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().RevokeAsync(buyer.Id, key.Id));

        Assert.Equal(["api-key.create", "api-key.revoke"], await ActionsAsync($"api-key:{key.Id}", buyer.Email));
    }

    [Fact]
    public async Task DevicePairedRevokedAndRePaired_EachStepAudited()
    {
        var device = await _market.PairedDeviceAsync();
        await app.InScopeAsync(s => s.GetRequiredService<DeviceService>().RevokeAsync(device.Owner.Id, device.DeviceId));
        await app.InScopeAsync(s => s.GetRequiredService<DeviceService>().NewPairingCodeAsync(device.Owner.Id, device.DeviceId));

        var actions = await app.QueryAsync(db => db.AuditLog.Where(e => e.Subject == $"device:{device.DeviceId}")
            .OrderBy(e => e.At).Select(e => e.Action).ToListAsync());
        Assert.Equal(["device.pairing-code", "device.pair", "device.revoke", "device.pairing-code"], actions);
    }

    [Fact]
    public async Task RoleGranted_AuditNamesTheAdmin()
    {
        var admin = await TestUsers.CreateAsync(app, Roles.Admin);
        var user = await TestUsers.CreateAsync(app, Roles.Owner);

        await app.InScopeAsync(s => s.GetRequiredService<AccountService>().SetRoleAsync(new Actor(admin.Id, admin.Email), user.Id, Roles.Finance, granted: true, "joins the finance team"));

        Assert.Equal(["role.grant"], await ActionsAsync($"user:{user.Id}", admin.Email));
    }

    private Task<List<string>> ActionsAsync(string subject, string actor) =>
        app.QueryAsync(db => db.AuditLog.Where(e => e.Subject == subject && e.Actor == actor).OrderBy(e => e.At).Select(e => e.Action).ToListAsync());
}
