using FleetMarket.Domain.Money;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Verification;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class JobHoldsTests
{
    [Fact]
    public void MicrosPerRow_MeasuredCostAtAPrice_IsTheExactChargeTimesTheRunsVerificationPays()
    {
        // 750 ms a row at 1.20 a device-hour: 0.025 cents a row, exactly 25,000 millionths of a cent.
        Assert.Equal(25_000, JobHolds.MicrosPerRow(750, 120, VerificationPolicy.Unchecked.ExpectedRunsBasisPoints));
        Assert.Equal(28_750, JobHolds.MicrosPerRow(750, 120, VerificationPolicy.Adaptive.ExpectedRunsBasisPoints));
        Assert.Equal(75_000, JobHolds.MicrosPerRow(750, 120, VerificationPolicy.Create(VerificationMode.Redundancy, 3).ExpectedRunsBasisPoints));
    }

    [Fact]
    public void HoldMinor_IsTheEstimateTimesTheMarginRoundedUp_AndNeverBelowTheMinimum()
    {
        // 600 rows × 25,000 = 15 cents; × 1.5 = 22.5, held as 23.
        Assert.Equal(23, JobHolds.HoldMinor(25_000, 600, marginPercent: 150, minimumMinor: 10));
        Assert.Equal(10, JobHolds.HoldMinor(25_000, 4, marginPercent: 150, minimumMinor: 10));
        Assert.Equal(15, JobHolds.HoldMinor(25_000, 600, marginPercent: 100, minimumMinor: 1));
    }

    [Fact]
    public void Review_SpendingAsEstimated_NeedsNothingAndLooksAgainAtHalfOfWhatIsLeft()
    {
        // Held 23 for 15 expected; half the rows done for 7.5 cents: 15.5 left for 7.5 to go.
        var review = JobHolds.Review(heldMinor: 23, spentMicros: 7_500_000, rowsDone: 300, rowCount: 600, estimatedMicrosPerRow: 25_000, marginPercent: 150);

        Assert.Equal(new HoldReview(TopUpMinor: 0, ReviewBelowMinor: 7, RemainingMicros: 7_500_000), review);
    }

    [Fact]
    public void Review_SpendingTenTimesTheEstimate_TopsUpToTheRestAtWhatRowsCostSoFarTimesTheMargin()
    {
        // Held 15 for 400 rows at 25,000; 36 rows cost 9 cents (250,000 a row): 364 rows to go need 91 cents, 136.5 with the margin.
        var review = JobHolds.Review(heldMinor: 15, spentMicros: 9_000_000, rowsDone: 36, rowCount: 400, estimatedMicrosPerRow: 25_000, marginPercent: 150);

        Assert.Equal(131, review.TopUpMinor);
        Assert.Equal(91_000_000, review.RemainingMicros);
        Assert.Equal((6 + 131) / 2, review.ReviewBelowMinor);
    }

    [Fact]
    public void Review_NothingAcceptedYet_ProjectsFromTheEstimate()
    {
        var fine = JobHolds.Review(heldMinor: 23, spentMicros: 0, rowsDone: 0, rowCount: 600, estimatedMicrosPerRow: 25_000, marginPercent: 150);
        var short_ = JobHolds.Review(heldMinor: 10, spentMicros: 0, rowsDone: 0, rowCount: 600, estimatedMicrosPerRow: 25_000, marginPercent: 150);

        Assert.Equal(0, fine.TopUpMinor);
        Assert.Equal(13, short_.TopUpMinor);
    }

    [Fact]
    public void Review_EveryRowDone_NeverTopsUp_EvenWhenTheLastUnitsAteTheWholeHold()
    {
        var review = JobHolds.Review(heldMinor: 15, spentMicros: 15_400_000, rowsDone: 400, rowCount: 400, estimatedMicrosPerRow: 25_000, marginPercent: 150);

        Assert.Equal(new HoldReview(0, 0, 0), review);
    }

    [Theory]
    [InlineData(150, 1)]
    [InlineData(150, 7)]
    [InlineData(200, 3)]
    [InlineData(100, 2)]
    public void Review_JobCostingAnyMultipleOfItsEstimate_EndsHoldingLessThanTheSpendTimesTheMarginPlusOneReview(int marginPercent, int multiple)
    {
        // 1,000 rows in units of 4, each unit reviewed the way the verifier does: when what is left drops below the threshold.
        const long rows = 1_000, estimate = 25_000;
        var actual = estimate * multiple;
        var held = JobHolds.HoldMinor(estimate, rows, marginPercent, minimumMinor: 1);
        var reviewBelow = held / 2;
        long spent = 0;
        for (long done = 0; done < rows; done += 4)
        {
            var pending = actual * 4;
            if (held - spent / UsagePricing.MicrosPerMinor - (pending + 999_999) / 1_000_000 < reviewBelow)
            {
                var review = JobHolds.Review(held, spent + pending, done + 4, rows, estimate, marginPercent);
                held += review.TopUpMinor;
                reviewBelow = review.ReviewBelowMinor;
            }

            Assert.True(spent + pending <= held * UsagePricing.MicrosPerMinor, $"spent {spent + pending} beyond the hold {held} after {done + 4} rows");
            spent += pending;
        }

        // Never 25× the spend: within the margin of it, give or take the rounding of a few top-ups.
        Assert.InRange(held * UsagePricing.MicrosPerMinor, spent, spent * marginPercent / 100 + 5 * UsagePricing.MicrosPerMinor);
    }

    [Theory]
    [InlineData(421_300, "USD 0.004213")]
    [InlineData(1_230_000_000, "USD 12.30")]
    [InlineData(0, "USD 0.00")]
    [InlineData(-15_000_000, "USD -0.15")]
    [InlineData(1, "USD 0.00000001")]
    public void FormatExact_ShowsEveryDigitItNeeds(long micros, string expected) =>
        Assert.Equal(expected, Money.FormatExact(micros, "USD"));
}
