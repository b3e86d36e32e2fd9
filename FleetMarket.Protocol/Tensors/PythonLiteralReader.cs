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
    private int _position;

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
        if (_position != text.Length)
        {
            throw Error("unexpected text after the dict");
        }

        return dict;
    }

    private object ReadValue()
    {
        SkipWhitespace();
        if (_position >= text.Length)
        {
            throw Error("unexpected end of header");
        }

        var c = text[_position];
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
        var quote = text[_position++];
        var value = new StringBuilder();
        while (_position < text.Length && text[_position] != quote)
        {
            if (text[_position] == '\\')
            {
                throw Error("escapes in strings are not supported");
            }

            value.Append(text[_position++]);
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
        var start = _position;
        if (text[_position] == '-')
        {
            _position++;
        }

        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
        }

        if (!long.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{text[start.._position]}' is not an integer");
        }

        // Python 2 wrote long integers with an L suffix, and numpy still reads such files.
        if (_position < text.Length && text[_position] is 'L' or 'l')
        {
            _position++;
        }

        return value;
    }

    private object ReadName()
    {
        var start = _position;
        while (_position < text.Length && char.IsAsciiLetterOrDigit(text[_position]))
        {
            _position++;
        }

        return text[start.._position] switch
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
            throw Error(_position < text.Length ? $"expected '{c}' but found '{text[_position]}'" : $"expected '{c}' but the header ended");
        }
    }

    private bool TryConsume(char c)
    {
        SkipWhitespace();
        if (_position < text.Length && text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private NpyFormatException Error(string problem) =>
        new($"Malformed .npy header: {problem} at character {_position} of \"{Truncate(text)}\".");

    private static string Truncate(string s) => s.Length <= 200 ? s.TrimEnd() : s[..200] + "…";
}
