namespace FleetMarket.Domain.Money;

public static class MoneySums
{
    /// <summary>The total of <paramref name="amounts"/>, all in <paramref name="currency"/>; zero of it when there are none.</summary>
    public static Money Sum(this IEnumerable<Money> amounts, string currency) =>
        amounts.Aggregate(Money.Zero(currency), (total, amount) => total + amount);
}
