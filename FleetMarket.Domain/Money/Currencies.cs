namespace FleetMarket.Domain.Money;

public static class Currencies
{
    /// <summary>The one currency the marketplace settles in today.</summary>
    public const string Usd = "USD";
}
