using FleetMarket.Domain.Devices;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class PeerCalibrationTests
{
    private static readonly Guid Honest = Guid.NewGuid(), Other = Guid.NewGuid(), Liar = Guid.NewGuid();

    [Fact]
    public void Estimate_SameModel_ScoresStandInTheRatioOfSpeedsCalibratedByPeers()
    {
        var estimates = PeerCalibration.Estimate(
        [
            new WorkSample(Honest, "resnet", Rows: 100, ComputeMilliseconds: 10_000, ClaimedScore: 1_000),
            new WorkSample(Other, "resnet", Rows: 200, ComputeMilliseconds: 10_000, ClaimedScore: 2_000),
            new WorkSample(Liar, "resnet", Rows: 100, ComputeMilliseconds: 10_000, ClaimedScore: 1_000_000),
        ]);

        // The liar runs as fast as the 1,000 device: its peers (1,000 per 10 rows/s and 2,000 per 20) make that 1,000.
        Assert.Equal(1_000, estimates[Liar].Score, tolerance: 1e-9);
        Assert.True(DeviceScore.Of(1_000_000, estimates[Liar]).Disputed);
        Assert.False(DeviceScore.Of(1_000, estimates[Honest]).Disputed);
        Assert.False(DeviceScore.Of(2_000, estimates[Other]).Disputed);
    }

    [Fact]
    public void Estimate_DeviceAloneOnItsModel_NoEvidence()
    {
        var estimates = PeerCalibration.Estimate(
        [
            new WorkSample(Honest, "whisper", Rows: 10, ComputeMilliseconds: 60_000, ClaimedScore: 5_000_000),
            new WorkSample(Other, "resnet", Rows: 10, ComputeMilliseconds: 60_000, ClaimedScore: 5_000),
        ]);

        Assert.Empty(estimates);
        Assert.Equal(5_000_000, DeviceScore.Of(5_000_000, null).Effective);
    }

    [Fact]
    public void Estimate_TooLittleCompute_NotEnoughToDispute()
    {
        var estimates = PeerCalibration.Estimate(
        [
            new WorkSample(Honest, "resnet", Rows: 100, ComputeMilliseconds: 10_000, ClaimedScore: 1_000),
            new WorkSample(Liar, "resnet", Rows: 10, ComputeMilliseconds: 1_000, ClaimedScore: 1_000_000),
        ]);

        Assert.False(DeviceScore.Of(1_000_000, estimates[Liar]).Disputed);
    }
}
