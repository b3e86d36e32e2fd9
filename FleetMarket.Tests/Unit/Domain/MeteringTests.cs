using FleetMarket.Domain.Pricing;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class MeteringTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(64)]
    [InlineData(500)]
    public void Add_SameWorkSplitAnyWay_ChargesTheFloorOfTheExactTotalAndTheFeeOnIt(int rowsPerUnit)
    {
        // 2,000 rows at 37 ms a row on a $3.00 device-hour: 6.1666… cents in all, far below a cent a row.
        const int rows = 2_000;
        var metering = new Metering(Guid.NewGuid(), "owner");
        long charged = 0, fees = 0;
        for (var start = 0; start < rows; start += rowsPerUnit)
        {
            var unitRows = Math.Min(rowsPerUnit, rows - start);
            var (charge, fee) = metering.Add(UsagePricing.ChargeMicros(300, 37L * unitRows, capMinor: 25), feeBasisPoints: 2000);
            charged += charge;
            fees += fee;
        }

        Assert.InRange(charged, 5, 6);
        Assert.Equal(metering.ChargeMinor, charged);
        Assert.Equal(charged * 2000 / 10_000, fees);
        Assert.Equal(6_166_667, metering.ChargeMicros, tolerance: rows / rowsPerUnit + 1);
    }

    [Fact]
    public void Add_FeeNeverOutrunsTheChargeItIsAShareOf()
    {
        var metering = new Metering(Guid.NewGuid(), "owner");
        for (var i = 0; i < 1_000; i++)
        {
            var (charge, fee) = metering.Add(333_333, feeBasisPoints: 3_000);
            Assert.InRange(fee, 0, charge);
        }
    }
}
