using FleetMarket.Domain;
using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Money;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class CarPaymentPlanTests
{
    private static CarPaymentPlan Plan()
    {
        var plan = new CarPaymentPlan("owner", "USD");
        plan.Update("Tesla Finance", new Money(450_00, "USD"), 15, new DateOnly(2026, 3, 10), new DateOnly(2029, 3, 9));
        return plan;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(225_00, 5_000)]
    [InlineData(449_99, 9_999)] // rounded down: "covered" never overstates
    [InlineData(900_00, 20_000)]
    [InlineData(9_000_00, 99_900)]
    public void CoveredBasisPoints_EarningsAgainstThePayment(long earned, int expected) =>
        Assert.Equal(expected, Plan().CoveredBasisPoints(new DateOnly(2026, 11, 1), earned));

    [Theory]
    [InlineData(1_53, 450_00, 34, "0.3 %")] // a first month's few dollars against a lease: small, but not nothing
    [InlineData(3, 450_00, 0, "0 %")]
    [InlineData(40, 450_00, 8, "0.08 %")]
    [InlineData(225_00, 450_00, 5_000, "50 %")]
    public void CoveredBasisPoints_SmallSharesShowPrecisely(long earned, long payment, int expected, string shown)
    {
        var plan = new CarPaymentPlan("owner", "USD");
        plan.Update("Tesla Finance", new Money(payment, "USD"), 15, new DateOnly(2026, 3, 10), new DateOnly(2029, 3, 9));

        var covered = plan.CoveredBasisPoints(new DateOnly(2026, 11, 1), earned);

        Assert.Equal((expected, shown), (covered, Web.Components.Shared.ShareText.Percent(covered)));
    }

    [Fact]
    public void CoveredBasisPoints_MonthBeforeThePlanStarts_IsZero() =>
        Assert.Equal(0, Plan().CoveredBasisPoints(new DateOnly(2026, 2, 1), 100_00));

    [Fact]
    public void IsDueIn_TheStartingMonth_EvenWhenThePlanStartsMidMonth() =>
        Assert.True(Plan().IsDueIn(new DateOnly(2026, 3, 1)));

    [Theory]
    [InlineData("", 450_00, 15, "lessor")]
    [InlineData("Bank", 0, 15, "payment")]
    [InlineData("Bank", 450_00, 31, "due day")]
    public void Update_InvalidTerms_AreRefused(string lessor, long payment, int dueDay, string named)
    {
        var refused = Assert.Throws<DomainException>(() =>
            new CarPaymentPlan("owner", "USD").Update(lessor, new Money(payment, "USD"), dueDay, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)));

        Assert.Contains(named, refused.Message);
    }

    [Theory]
    [InlineData("2026-11-10", "2026-11-15")] // before this month's due day
    [InlineData("2026-11-15", "2026-11-15")] // on it
    [InlineData("2026-11-16", "2026-12-15")] // after it: next month's
    [InlineData("2026-01-01", "2026-03-15")] // before the plan starts: its first payment
    public void NextDueDate_TheFirstPaymentDayOnOrAfter(string from, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), Plan().NextDueDate(DateOnly.Parse(from)));

    [Fact]
    public void NextDueDate_AfterTheLastPayment_IsNone() =>
        Assert.Null(Plan().NextDueDate(new DateOnly(2029, 3, 1)));
}
