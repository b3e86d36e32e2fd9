using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// The portal's forms reach the services without an HTTP edge: the domain refuses text past its column or with
/// control characters there too, with a message the page shows, and stores nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PortalTextLimitsTests(FleetApp app) : IClassFixture<FleetApp>
{
    public static TheoryData<string, string, string> Devices => new()
    {
        { new string('n', 101), "HW4", "at most 100 characters" },
        { "Car\u0007", "HW4", "without control characters" },
        { "Car", new string('a', 101), "at most 100 characters" },
    };

    [Theory]
    [MemberData(nameof(Devices))]
    public async Task AddDevice_WithTextPastItsLimit_IsRefused_AndNothingIsStored(string name, string accelerator, string message)
    {
        var owner = await TestUsers.CreateAsync(app, Domain.Accounts.Roles.Owner);

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.InScopeAsync(s => s.GetRequiredService<DeviceService>()
            .AddAsync(owner.Id, new NewDevice(name, DeviceKind.Car, accelerator, 16_384, "us-west", new Money(120, "USD")))));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Devices.CountAsync(d => d.OwnerId == owner.Id)));
    }

    [Fact]
    public async Task CreateApiKey_WithANewlineInItsName_IsRefused()
    {
        var buyer = await TestUsers.CreateAsync(app, Domain.Accounts.Roles.Buyer);

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>()
            .CreateAsync(buyer.Id, "nightly\npipeline")));

        Assert.Contains("without control characters", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.ApiKeys.CountAsync(k => k.BuyerId == buyer.Id)));
    }
}
