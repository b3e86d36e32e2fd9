namespace FleetMarket.Domain.Money;

/// <summary>An amount in integer minor units (cents) of one currency. Never a floating-point number.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public static Money Zero(string currency) => new(0, currency);

    public static Money operator +(Money left, Money right) => new(checked(left.Minor + right.Minor), SameCurrency(left, right));

    public static Money operator -(Money left, Money right) => new(checked(left.Minor - right.Minor), SameCurrency(left, right));

    public static Money operator -(Money value) => value with { Minor = checked(-value.Minor) };

    public bool IsNegative => Minor < 0;

    /// <summary>Formats for people, e.g. "USD 12.34"; two decimals fit every currency the platform settles in.</summary>
    public override string ToString() =>
        $"{Currency} {(Minor < 0 ? "-" : "")}{Math.Abs(Minor) / 100}.{Math.Abs(Minor) % 100:00}";

    private static string SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? left.Currency
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
