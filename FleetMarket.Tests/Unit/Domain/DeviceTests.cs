using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class DeviceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CompletePairing_WithinFifteenMinutes_GoesOnlineAndConsumesTheCode()
    {
        var device = NewDevice();
        device.IssuePairingCode("hash", Now);

        device.CompletePairing("credential-hash", Now.AddMinutes(14));

        Assert.Equal(DeviceStatus.Online, device.Status);
        Assert.Null(device.PairingCodeHash);
        Assert.Throws<DomainException>(() => device.CompletePairing("again", Now.AddMinutes(14)));
    }

    [Fact]
    public void CompletePairing_AfterFifteenMinutes_IsRefused()
    {
        var device = NewDevice();
        device.IssuePairingCode("hash", Now);

        Assert.Throws<DomainException>(() => device.CompletePairing("credential-hash", Now.AddMinutes(15)));
        Assert.Equal(DeviceStatus.PendingPairing, device.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void New_NonPositivePrice_IsRefused(long price) =>
        Assert.Throws<DomainException>(() => new Device("owner", "Car", DeviceKind.Car, "HW4", 0, "eu", price, "USD", Now));

    [Theory]
    [InlineData(false, true, 90, 40.0, false)] // someone is using it
    [InlineData(true, false, 30, 40.0, false)] // low battery, not charging
    [InlineData(true, true, 30, 40.0, true)] // low battery but charging
    [InlineData(true, null, null, 90.0, false)] // too hot
    [InlineData(true, null, null, null, true)] // a PC that reports nothing
    public void WorkReadiness_Conditions_DecideWhetherToWork(bool idle, bool? charging, int? battery, double? temperature, bool ready) =>
        Assert.Equal(ready, WorkReadiness.Decide(new DeviceConditions(idle, charging, battery, temperature)).Ready);

    private static Device NewDevice() => new("owner", "Car", DeviceKind.Car, "HW4", 16_384, "eu", 150, "USD", Now);
}
