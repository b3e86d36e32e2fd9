using System.Net;
using System.Net.Http.Json;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>The owner's rules as the server applies them, and the owner's control over the credential.</summary>
[Collection(AppCollection.Name)]
public sealed class DevicePolicyTests(FleetApp app) : IClassFixture<FleetApp>
{
    private static readonly DeviceConditions OnBattery = new(IsIdle: true, IsCharging: false, BatteryPercent: 90, TemperatureCelsius: 30);
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task ChargingOnlyPolicy_DeviceOnBattery_IsToldToWaitAndGetsNoLease()
    {
        var device = await _market.PairedDeviceAsync();
        await SetPolicyAsync(device, AvailabilityPolicy.Always with { OnlyWhileCharging = true });
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2);
        using var client = _market.DeviceClient(device);

        var beat = await (await client.PostAsJsonAsync(WorkerRoutes.Heartbeat, new HeartbeatRequest(OnBattery, "CPU")))
            .Content.ReadFromJsonAsync<HeartbeatResponse>();
        var lease = await client.PostAsJsonAsync(WorkerRoutes.Lease, new LeaseRequest(OnBattery));

        Assert.False(beat!.ShouldWork);
        Assert.Contains("charging", beat.Reason);
        Assert.True(beat.Policy!.OnlyWhileCharging);
        Assert.Equal(HttpStatusCode.NoContent, lease.StatusCode);
    }

    [Fact]
    public async Task Policy_WithWindowsAndDepartures_IsStoredAndReadBack()
    {
        var device = await _market.PairedDeviceAsync();
        var policy = new AvailabilityPolicy("Europe/Berlin", [new WeeklyWindow(DayOfWeek.Monday, new TimeOnly(22, 0), new TimeOnly(6, 0))],
            true, 40, [new Departure(DayOfWeek.Tuesday, new TimeOnly(7, 30))], 60);

        await SetPolicyAsync(device, policy);

        var stored = await app.InScopeAsync(s => s.GetRequiredService<DeviceService>().GetAsync(device.Owner.Id, device.DeviceId));
        Assert.Equal(policy.Windows, stored.Policy.Windows);
        Assert.Equal(policy.Departures, stored.Policy.Departures);
        Assert.Equal(policy with { Windows = stored.Policy.Windows, Departures = stored.Policy.Departures }, stored.Policy);
    }

    [Fact]
    public async Task Revoke_OwnerRevokesCredential_WorkerIsRejectedAtOnce()
    {
        var device = await _market.PairedDeviceAsync();
        using var client = _market.DeviceClient(device);
        (await client.PostAsJsonAsync(WorkerRoutes.Heartbeat, new HeartbeatRequest(OnBattery, "CPU"))).EnsureSuccessStatusCode();

        await app.InScopeAsync(s => s.GetRequiredService<DeviceService>().RevokeAsync(device.Owner.Id, device.DeviceId));
        var after = await client.PostAsJsonAsync(WorkerRoutes.Heartbeat, new HeartbeatRequest(OnBattery, "CPU"));

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Capabilities_ReportedByTheWorker_AreShownToTheOwner()
    {
        var device = await _market.PairedDeviceAsync();
        using var client = _market.DeviceClient(device);

        var response = await client.PostAsJsonAsync(WorkerRoutes.Capabilities,
            new DeviceCapabilities(["CUDAExecutionProvider", "CPUExecutionProvider"], "CUDA", 1234.5, "1.0.0", "Linux"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var page = await app.InScopeAsync(s => s.GetRequiredService<DeviceListing>().PageAsync(device.Owner.Id, 0, 10));
        var row = Assert.Single(page.Rows);
        Assert.Equal("CUDA", row.ExecutionProvider);
        Assert.Equal(1234.5, row.Score.Claimed);
    }

    [Fact]
    public async Task Reliability_AFailingDevice_IsShownToTheOwnerWithTheCountsBehindIt()
    {
        var device = await _market.PairedDeviceAsync();
        await _market.SetReliabilityRecordAsync(device.DeviceId, valid: 4, invalid: 5, timedOut: 1);

        var page = await app.InScopeAsync(s => s.GetRequiredService<DeviceListing>().PageAsync(device.Owner.Id, 0, 10));

        var reliability = Assert.Single(page.Rows).Reliability;
        Assert.Equal((5 / 12.0, true), (reliability.Score, reliability.IsFailing));
        Assert.Equal("4 checked results agreed, 5 rejected, 1 timed out", ReliabilityText.Explanation(reliability));
    }

    [Fact]
    public async Task Policy_Invalid_IsRefusedAndTheOldOneStays()
    {
        var device = await _market.PairedDeviceAsync();

        await Assert.ThrowsAsync<FleetMarket.Domain.DomainException>(() =>
            SetPolicyAsync(device, AvailabilityPolicy.Always with { TimeZoneId = "Nowhere/Special" }));

        var stored = await app.QueryAsync(db => db.Devices.AsNoTracking().SingleAsync(d => d.Id == device.DeviceId));
        Assert.Equal("UTC", stored.Policy.TimeZoneId);
    }

    [Fact]
    public async Task Devices_AnotherOwnersDevice_CannotBeEditedOrRemoved()
    {
        var device = await _market.PairedDeviceAsync();
        var stranger = await TestUsers.CreateAsync(app, FleetMarket.Domain.Accounts.Roles.Owner);

        await Assert.ThrowsAsync<FleetMarket.Web.Features.NotFoundException>(() =>
            app.InScopeAsync(s => s.GetRequiredService<DeviceService>().RemoveAsync(stranger.Id, device.DeviceId)));
        await Assert.ThrowsAsync<FleetMarket.Web.Features.NotFoundException>(() =>
            app.InScopeAsync(s => s.GetRequiredService<DeviceService>().RevokeAsync(stranger.Id, device.DeviceId)));
        Assert.Empty((await app.InScopeAsync(s => s.GetRequiredService<DeviceListing>().PageAsync(stranger.Id, 0, 10))).Rows);
    }

    private Task SetPolicyAsync(PairedDevice device, AvailabilityPolicy policy) =>
        app.InScopeAsync(s => s.GetRequiredService<DeviceService>().SetPolicyAsync(device.Owner.Id, device.DeviceId, policy));
}
