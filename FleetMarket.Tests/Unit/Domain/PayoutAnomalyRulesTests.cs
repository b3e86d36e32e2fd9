using FleetMarket.Domain.Payouts;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class PayoutAnomalyRulesTests
{
    private const long NewDeviceLimit = 100_00;
    private static readonly PayoutFacts Ordinary = new(AmountMinor: 30_00, MeteredMilliseconds: 3_600_000, ExpectedMilliseconds: 3_000_000,
        UsageRecords: 200, ReversedRecords: 2, NewDeviceEarningsMinor: 0, PreviousPayoutsMinor: [25_00, 35_00]);

    [Fact]
    public void OrdinaryOwner_NoFlags() =>
        Assert.Equal(PayoutAnomalies.None, PayoutAnomalyRules.Evaluate(Ordinary, NewDeviceLimit));

    [Fact]
    public void MeteringThreeTimesWhatTheBenchmarkAllows_Flagged() =>
        Assert.Equal(PayoutAnomalies.MeteringBeyondBenchmark,
            PayoutAnomalyRules.Evaluate(Ordinary with { MeteredMilliseconds = 10_000_000, ExpectedMilliseconds = 3_000_000 }, NewDeviceLimit));

    [Fact]
    public void ManyRejections_Flagged() =>
        Assert.Equal(PayoutAnomalies.HighRejectionRate, PayoutAnomalyRules.Evaluate(Ordinary with { ReversedRecords = 30 }, NewDeviceLimit));

    [Fact]
    public void NewDeviceEarningMuch_Flagged() =>
        Assert.Equal(PayoutAnomalies.NewDeviceLargeEarnings,
            PayoutAnomalyRules.Evaluate(Ordinary with { NewDeviceEarningsMinor = 150_00 }, NewDeviceLimit));

    [Fact]
    public void FarAboveTheUsual_Flagged_ButNotWithoutAHistory()
    {
        Assert.Equal(PayoutAnomalies.FarAboveUsual, PayoutAnomalyRules.Evaluate(Ordinary with { AmountMinor = 200_00 }, NewDeviceLimit));
        Assert.Equal(PayoutAnomalies.None,
            PayoutAnomalyRules.Evaluate(Ordinary with { AmountMinor = 200_00, PreviousPayoutsMinor = [25_00] }, NewDeviceLimit));
    }

    [Fact]
    public void FewRecordsOrLittleMetering_TooLittleToJudge() =>
        Assert.Equal(PayoutAnomalies.None, PayoutAnomalyRules.Evaluate(
            Ordinary with { UsageRecords = 5, ReversedRecords = 3, MeteredMilliseconds = 50_000, ExpectedMilliseconds = 1_000 }, NewDeviceLimit));
}
