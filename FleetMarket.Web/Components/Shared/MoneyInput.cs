using FleetMarket.Domain.Money;

namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// How a numeric field for an amount of a currency is set up, from the currency's own exponent: its decimals, the
/// smallest amount it accepts and the sign beside it. The amount typed becomes money through <see cref="Money.FromMajor"/>.
/// </summary>
public static class MoneyInput
{
    /// <summary>The field's display format: "N2" for USD, "N0" for JPY.</summary>
    public static string Format(string currency) => $"N{IsoCurrency.Of(currency).Exponent}";

    /// <summary>The smallest amount above zero: 0.01 for USD, 1 for JPY.</summary>
    public static decimal Smallest(string currency) => new Money(1, currency).ToMajor();

    /// <summary>The sign shown before the amount: "$" for USD, the ISO code for any other currency.</summary>
    public static string Sign(string currency) => currency == Currencies.Usd ? "$" : currency;
}
