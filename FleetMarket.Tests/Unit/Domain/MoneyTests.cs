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
}
