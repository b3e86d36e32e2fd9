using FleetMarket.Domain;
using FleetMarket.Domain.Money;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class MoneyTests
{
    [Fact]
    public void Add_DifferentCurrencies_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, "USD") + new Money(1, "EUR"));

    [Theory]
    [InlineData(1234, "USD 12.34")]
    [InlineData(5, "USD 0.05")]
    [InlineData(-250, "USD -2.50")]
    public void ToString_MinorUnits_ReadsAsDecimalAmount(long minor, string expected) =>
        Assert.Equal(expected, new Money(minor, "USD").ToString());

    [Theory]
    [InlineData(1234, "JPY", "JPY 1234")]
    [InlineData(-5, "JPY", "JPY -5")]
    [InlineData(5, "EUR", "EUR 0.05")]
    [InlineData(long.MinValue, "GBP", "GBP -92233720368547758.08")]
    public void ToString_UsesTheCurrencysDecimals(long minor, string currency, string expected) =>
        Assert.Equal(expected, new Money(minor, currency).ToString());

    [Theory]
    [InlineData(4_213_000, "JPY 4.213")]
    [InlineData(1_000_000, "JPY 1")]
    [InlineData(-421_300, "JPY -0.4213")]
    public void FormatExact_Jpy_HasNoDecimalsUnlessTheAmountNeedsThem(long micros, string expected) =>
        Assert.Equal(expected, Money.FormatExact(micros, "JPY"));

    [Theory]
    [InlineData("12.34", "USD", 1234)]
    [InlineData("12.345", "USD", 1235)]
    [InlineData("-2.505", "USD", -251)]
    [InlineData("0.004", "USD", 0)]
    [InlineData("450", "USD", 450_00)]
    [InlineData("1234", "JPY", 1234)]
    [InlineData("1234.5", "JPY", 1235)]
    [InlineData("0.49", "JPY", 0)]
    public void FromMajor_RoundsHalfAwayFromZeroToTheMinorUnit(string amount, string currency, long minor) =>
        Assert.Equal(new Money(minor, currency), Money.FromMajor(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));

    [Theory]
    [InlineData("100000000000000000", "USD")] // 10^19 cents: past a long
    [InlineData("79228162514264337593543950335", "USD")] // decimal.MaxValue: past a decimal once in cents
    [InlineData("10000000000000000000", "JPY")]
    public void FromMajor_TooLarge_IsRefused(string amount, string currency)
    {
        var refused = Assert.Throws<DomainException>(() =>
            Money.FromMajor(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency));

        Assert.Contains("too large", refused.Message);
    }

    [Fact]
    public void FromMajor_CurrencyNotAccepted_IsRefused() =>
        Assert.Contains("XTS", Assert.Throws<DomainException>(() => Money.FromMajor(1m, "XTS")).Message);

    [Theory]
    [InlineData(1234, "USD", "12.34")]
    [InlineData(1234, "JPY", "1234")]
    [InlineData(-5, "EUR", "-0.05")]
    public void ToMajor_IsTheExactDecimalAmount_AndRoundTrips(long minor, string currency, string major)
    {
        var money = new Money(minor, currency);

        Assert.Equal(decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture), money.ToMajor());
        Assert.Equal(money, Money.FromMajor(money.ToMajor(), currency));
    }

    [Theory]
    [InlineData(1_000_00, "USD", "1,000.00")]
    [InlineData(1_000_00, "JPY", "100,000")]
    [InlineData(-5, "EUR", "-0.05")]
    public void ToMajorText_HasGroupsAndTheCurrencysDecimals(long minor, string currency, string expected)
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            Assert.Equal(expected, new Money(minor, currency).ToMajorText());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("USD", 100)]
    [InlineData("JPY", 1)]
    public void OneMajor_IsOneMajorUnitInMinorUnits(string currency, long minor) =>
        Assert.Equal(new Money(minor, currency), Money.OneMajor(currency));

    [Fact]
    public void Sum_AddsInOneCurrency_AndIsZeroOfItWhenEmpty()
    {
        Assert.Equal(new Money(7, "USD"), new[] { new Money(3, "USD"), new Money(4, "USD") }.Sum("USD"));
        Assert.Equal(Money.Zero("JPY"), Array.Empty<Money>().Sum("JPY"));
    }
}
