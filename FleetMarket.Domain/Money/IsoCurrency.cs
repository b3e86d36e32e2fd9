namespace FleetMarket.Domain.Money;

/// <summary>
/// A currency the marketplace accepts, by its ISO 4217 code, with its minor-unit exponent: how many decimals its
/// amounts have (2 for USD: cents; 0 for JPY: a yen has no minor unit). Amounts are integers of the minor unit.
/// </summary>
public sealed record IsoCurrency
{
    public static readonly IsoCurrency Usd = new(Currencies.Usd, 2);
    public static readonly IsoCurrency Eur = new("EUR", 2);
    public static readonly IsoCurrency Gbp = new("GBP", 2);
    public static readonly IsoCurrency Jpy = new("JPY", 0);

    private static readonly Dictionary<string, IsoCurrency> Accepted = new[] { Usd, Eur, Gbp, Jpy }.ToDictionary(c => c.Code);

    private IsoCurrency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
        MinorPerMajor = (long)Math.Pow(10, exponent);
    }

    public string Code { get; }

    /// <summary>Decimals of the major unit that the minor unit stands for.</summary>
    public int Exponent { get; }

    /// <summary>Minor units in one major unit: 100 for USD, 1 for JPY.</summary>
    public long MinorPerMajor { get; }

    public static IReadOnlyCollection<IsoCurrency> All => Accepted.Values;

    public static bool TryFind(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IsoCurrency? currency)
    {
        currency = code is null ? null : Accepted.GetValueOrDefault(code);
        return currency is not null;
    }

    /// <summary>The accepted currency with this code; a <see cref="DomainException"/> for any other.</summary>
    public static IsoCurrency Of(string code) =>
        TryFind(code, out var currency)
            ? currency
            : throw new DomainException($"{code} is not a currency the marketplace accepts ({string.Join(", ", Accepted.Keys)}).");

    public override string ToString() => Code;
}
