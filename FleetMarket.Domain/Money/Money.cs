namespace FleetMarket.Domain.Money;

/// <summary>An amount in integer minor units (cents; whole yen) of one currency. Never a floating-point number.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    /// <summary>Decimals shown for a currency the marketplace does not list: formatting never fails.</summary>
    private const int UnlistedExponent = 2;

    public static Money Zero(string currency) => new(0, currency);

    /// <summary>One of the currency's major unit: USD 1.00 (100 cents), JPY 1.</summary>
    public static Money OneMajor(string currency) => new(IsoCurrency.Of(currency).MinorPerMajor, currency);

    /// <summary>
    /// The amount a person typed in the currency's major unit (dollars, yen), rounded half away from zero to its minor
    /// unit: the one conversion from user input. Refuses currencies the marketplace does not accept and amounts too
    /// large for a long of minor units.
    /// </summary>
    public static Money FromMajor(decimal amount, string currency)
    {
        var unit = IsoCurrency.Of(currency);
        decimal minor;
        try
        {
            minor = Math.Round(amount * unit.MinorPerMajor, 0, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            throw TooLarge(amount, currency);
        }

        return minor is >= long.MinValue and <= long.MaxValue ? new Money((long)minor, currency) : throw TooLarge(amount, currency);
    }

    public static Money operator +(Money left, Money right) => new(checked(left.Minor + right.Minor), SameCurrency(left, right));

    public static Money operator -(Money left, Money right) => new(checked(left.Minor - right.Minor), SameCurrency(left, right));

    public static Money operator -(Money value) => value with { Minor = checked(-value.Minor) };

    public bool IsNegative => Minor < 0;

    /// <summary>The amount in the currency's major unit, exactly and with its decimals (12.00 for 1,200 cents): what a form edits.</summary>
    public decimal ToMajor()
    {
        var magnitude = Magnitude(Minor);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, Minor < 0, (byte)IsoCurrency.Of(Currency).Exponent);
    }

    /// <summary>
    /// The amount in the major unit with group separators and the currency's decimals, without the code ("1,000.00" for
    /// USD 1000; "100,000" for JPY 100000): for limits named in messages beside a field that already says the currency.
    /// </summary>
    public string ToMajorText() => ToMajor().ToString($"N{IsoCurrency.Of(Currency).Exponent}", System.Globalization.CultureInfo.CurrentCulture);

    /// <summary>Formats for people with the currency's decimals, e.g. "USD 12.34", "JPY 1234".</summary>
    public override string ToString()
    {
        var exponent = Exponent(Currency);
        return $"{Currency} {(Minor < 0 ? "-" : "")}{Digits(Magnitude(Minor), exponent, exponent)}";
    }

    /// <summary>
    /// An exact amount of millionths of a minor unit (metered usage) for people: as <see cref="ToString"/>, with as
    /// many further decimals as it needs and no more, e.g. "USD 0.004213" for 421,300; "USD 12.30" for 1,230,000,000.
    /// </summary>
    public static string FormatExact(long micros, string currency)
    {
        var exponent = Exponent(currency);
        return $"{currency} {(micros < 0 ? "-" : "")}{Digits(Magnitude(micros), exponent + 6, exponent)}";
    }

    private static int Exponent(string currency) => IsoCurrency.TryFind(currency, out var unit) ? unit.Exponent : UnlistedExponent;

    private static ulong Magnitude(long value) => value == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(value);

    /// <summary><paramref name="magnitude"/> with <paramref name="decimals"/> implied decimals, trailing zeros trimmed to at least <paramref name="shown"/>.</summary>
    private static string Digits(ulong magnitude, int decimals, int shown)
    {
        var scale = 1UL;
        for (var i = 0; i < decimals; i++)
        {
            scale *= 10;
        }

        var fraction = decimals == 0 ? "" : (magnitude % scale).ToString(new string('0', decimals)).TrimEnd('0').PadRight(shown, '0');
        return fraction.Length == 0 ? $"{magnitude / scale}" : $"{magnitude / scale}.{fraction}";
    }

    private static DomainException TooLarge(decimal amount, string currency) =>
        new($"{currency} {amount} is too large an amount.");

    private static string SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? left.Currency
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
