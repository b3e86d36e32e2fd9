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

    /// <summary>
    /// An exact amount of millionths of a minor unit (metered usage) for people: as <see cref="ToString"/>, with as
    /// many further decimals as it needs and no more, e.g. "USD 0.004213" for 421,300; "USD 12.30" for 1,230,000,000.
    /// </summary>
    public static string FormatExact(long micros, string currency)
    {
        var magnitude = micros == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(micros);
        var fraction = (magnitude % 100_000_000).ToString("00000000").TrimEnd('0');
        return $"{currency} {(micros < 0 ? "-" : "")}{magnitude / 100_000_000}.{fraction.PadRight(2, '0')}";
    }

    private static string SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? left.Currency
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
