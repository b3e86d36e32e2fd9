using System.Globalization;
using System.Text;

namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// The dictionary at the start of a <c>.npy</c> file, e.g.
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (10, 4), }</c>.
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    private static readonly string[] Keys = ["descr", "fortran_order", "shape"];

    /// <summary>numpy pads the header after the dict so the shape's first axis can grow in place; we match its bytes.</summary>
    private const int GrowthAxisMaxDigits = 21;

    public static NpyHeader Parse(string text)
    {
        var dict = new PythonLiteralReader(text).ReadHeaderDict();
        var missing = Keys.Where(k => !dict.ContainsKey(k)).ToList();
        var extra = dict.Keys.Where(k => !Keys.Contains(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new NpyFormatException(
                $"Malformed .npy header: it must have exactly the keys 'descr', 'fortran_order' and 'shape'"
                + (missing.Count > 0 ? $"; missing {string.Join(", ", missing.Select(k => $"'{k}'"))}" : string.Empty)
                + (extra.Count > 0 ? $"; unexpected {string.Join(", ", extra.Select(k => $"'{k}'"))}" : string.Empty)
                + ".");
        }

        var descr = dict["descr"] switch
        {
            string s => NpyDType.Canonicalize(s),
            List<object> => throw new NpyFormatException("Unsupported dtype: structured arrays (a list 'descr') are not supported."),
            var other => throw new NpyFormatException($"Malformed .npy header: 'descr' must be a string, not {Describe(other)}."),
        };
        var fortranOrder = dict["fortran_order"] as bool?
            ?? throw new NpyFormatException($"Malformed .npy header: 'fortran_order' must be True or False, not {Describe(dict["fortran_order"])}.");
        if (dict["shape"] is not object[] tuple || !Array.TrueForAll(tuple, item => item is long))
        {
            throw new NpyFormatException($"Malformed .npy header: 'shape' must be a tuple of integers, not {Describe(dict["shape"])}.");
        }

        var dims = Array.ConvertAll(tuple, item => (long)item);
        if (Array.Exists(dims, d => d is < 0 or > int.MaxValue))
        {
            throw new NpyFormatException($"Malformed .npy header: shape ({string.Join(", ", dims)}) has a dimension outside 0..{int.MaxValue}.");
        }

        return new NpyHeader(descr, fortranOrder, dims.Select(d => (int)d).ToArray());
    }

    /// <summary>The dict as numpy writes it: keys sorted, shape as Python's repr of a tuple, growth padding.</summary>
    public string Format()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {NpyArray.FormatShape(Shape)}, }}");
        if (Shape.Length > 0)
        {
            var growthAxis = Shape[FortranOrder ? ^1 : 0];
            text.Append(' ', GrowthAxisMaxDigits - growthAxis.ToString(CultureInfo.InvariantCulture).Length);
        }

        return text.ToString();
    }

    private static string Describe(object value) => value switch
    {
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        object[] tuple => $"({string.Join(", ", tuple.Select(Describe))})",
        List<object> => "a list",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}
