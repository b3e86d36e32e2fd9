using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol.Validation;

/// <summary>
/// One line of printable text: no control characters (they break CSV exports, logs and layouts) and no
/// bidirectional overrides (they make a name read differently from what it is). Null passes; pair with
/// <see cref="RequiredAttribute"/> where a value must be present.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    public PlainTextAttribute()
        : base("The field {0} must be one line of printable text, without control characters.")
    {
    }

    public override bool IsValid(object? value) => value is not string text || PlainText.Is(text);
}

public static class PlainText
{
    public static bool Is(string text) => !text.Any(c => char.IsControl(c) || IsBidirectionalControl(c));

    /// <summary>Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks U+200E/U+200F.</summary>
    private static bool IsBidirectionalControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';
}
