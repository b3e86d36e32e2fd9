using FleetMarket.Domain.Pricing;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class UsagePricingTests
{
    [Theory]
    [InlineData(120, 3_600_000, 1_000, 120_000_000)] // one hour at $1.20
    [InlineData(120, 1, 1_000, 33)] // a millisecond is 0.0000333 cents, not a whole cent
    [InlineData(100, 36_001, 1_000, 1_000_028)] // 1.000028 cents, to the millionth
    [InlineData(120, 3_600_000, 50, 50_000_000)] // never above the unit's cap
    public void ChargeMicros_ComputeTime_ExactToTheMillionthWithinTheCap(long pricePerHour, long milliseconds, long cap, long expected) =>
        Assert.Equal(expected, UsagePricing.ChargeMicros(pricePerHour, milliseconds, cap));

    [Fact]
    public void UnitCap_FiveMinuteLeaseAtThreeDollarsAnHour_IsTwentyFiveCents() =>
        Assert.Equal(25, UsagePricing.UnitCap(300, TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData(100, 2000, 20)]
    [InlineData(99, 2000, 19)] // the platform rounds its own share down
    [InlineData(1, 2000, 0)]
    public void PlatformFee_BasisPoints_RoundsDown(long charge, int basisPoints, long expected) =>
        Assert.Equal(expected, UsagePricing.PlatformFee(charge, basisPoints));

    [Fact]
    public void PlatformFee_AboveOneHundredPercent_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UsagePricing.PlatformFee(100, 10_001));
}
