using FleetMarket.Domain.Money;
using FleetMarket.Web.Components.Shared;
using FleetMarket.Web.Csv;
using MudBlazor;

namespace FleetMarket.Tests.Components;

/// <summary>Amount fields, chart axes and CSV amounts take their decimals from the currency, not from an assumed two.</summary>
public sealed class MoneyInputTests
{
    [Theory]
    [InlineData("USD", "N2", "0.01", "$")]
    [InlineData("JPY", "N0", "1", "JPY")]
    public void MoneyInput_FollowsTheCurrencysExponent(string currency, string format, string smallest, string sign)
    {
        Assert.Equal(format, MoneyInput.Format(currency));
        Assert.Equal(decimal.Parse(smallest, System.Globalization.CultureInfo.InvariantCulture), MoneyInput.Smallest(currency));
        Assert.Equal(sign, MoneyInput.Sign(currency));
    }

    [Theory]
    [InlineData(-1205, "USD", "-12.05")]
    [InlineData(1200, "USD", "12.00")]
    [InlineData(1200, "JPY", "1200")]
    public void CsvAmount_IsTheMajorUnitWithTheCurrencysDecimals(long minor, string currency, string expected) =>
        Assert.Equal(expected, CsvFiles.Amount(new Money(minor, currency)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("USD", 60, "0.25")] // a step of 25 cents
    [InlineData("USD", 40_000, "100")]
    [InlineData("JPY", 60, "25")] // a yen has no decimals
    public void ChartAxis_LabelsInTheMajorUnit(string currency, double largest, string firstTick)
    {
        var options = ChartAxis.Amounts([new ChartSeries<double> { Name = "Amount", Data = new[] { 0, largest } }], currency);

        Assert.Equal(firstTick, options.YAxisToStringFunc!(options.YAxisTicks));
    }
}
