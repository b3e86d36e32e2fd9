using System.Globalization;
using System.Text;

namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// Reads the small subset of Python literals a <c>.npy</c> header uses: a dict of string keys whose
/// values are strings, True/False, integers, tuples (as arrays) or lists. numpy itself reads it with
/// <c>ast.literal_eval</c>; we never evaluate anything.
/// </summary>
internal sealed class PythonLiteralReader(string text)
{
    private int position;

    public Dictionary<string, object> ReadHeaderDict()
    {
        SkipWhitespace();
        Expect('{');
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        while (!TryConsume('}'))
        {
            var key = ReadValue() as string ?? throw Error("dict keys must be strings");
            Expect(':');
            if (!dict.TryAdd(key, ReadValue()))
            {
                throw Error($"key '{key}' appears twice");
            }

            if (!TryConsume(','))
            {
                Expect('}');
                break;
            }
        }

        SkipWhitespace();
        if (position != text.Length)
        {
            throw Error("unexpected text after the dict");
        }

        return dict;
    }

    private object ReadValue()
    {
        SkipWhitespace();
        if (position >= text.Length)
        {
            throw Error("unexpected end of header");
        }

        var c = text[position];
        return c switch
        {
            '\'' or '"' => ReadString(),
            '(' => ReadTuple(),
            '[' => ReadList(),
            _ when c == '-' || char.IsAsciiDigit(c) => ReadInteger(),
            _ when char.IsAsciiLetter(c) => ReadName(),
            _ => throw Error($"unexpected '{c}'"),
        };
    }

    private string ReadString()
    {
        var quote = text[position++];
        var value = new StringBuilder();
        while (position < text.Length && text[position] != quote)
        {
            if (text[position] == '\\')
            {
                throw Error("escapes in strings are not supported");
            }

            value.Append(text[position++]);
        }

        Expect(quote);
        return value.ToString();
    }

    private object[] ReadTuple()
    {
        Expect('(');
        var items = new List<object>();
        while (!TryConsume(')'))
        {
            items.Add(ReadValue());
            if (!TryConsume(','))
            {
                Expect(')');
                break;
            }
        }

        return items.ToArray();
    }

    private List<object> ReadList()
    {
        Expect('[');
        var items = new List<object>();
        while (!TryConsume(']'))
        {
            items.Add(ReadValue());
            if (!TryConsume(','))
            {
                Expect(']');
                break;
            }
        }

        return items;
    }

    private long ReadInteger()
    {
        var start = position;
        if (text[position] == '-')
        {
            position++;
        }

        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{text[start..position]}' is not an integer");
        }

        // Python 2 wrote long integers with an L suffix, and numpy still reads such files.
        if (position < text.Length && text[position] is 'L' or 'l')
        {
            position++;
        }

        return value;
    }

    private object ReadName()
    {
        var start = position;
        while (position < text.Length && char.IsAsciiLetterOrDigit(text[position]))
        {
            position++;
        }

        return text[start..position] switch
        {
            "True" => true,
            "False" => false,
            var name => throw Error($"unexpected name '{name}'"),
        };
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error(position < text.Length ? $"expected '{c}' but found '{text[position]}'" : $"expected '{c}' but the header ended");
        }
    }

    private bool TryConsume(char c)
    {
        SkipWhitespace();
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private NpyFormatException Error(string problem) =>
        new($"Malformed .npy header: {problem} at character {position} of \"{Truncate(text)}\".");

    private static string Truncate(string s) => s.Length <= 200 ? s.TrimEnd() : s[..200] + "…";
}
