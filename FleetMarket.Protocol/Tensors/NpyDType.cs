namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// The numpy <c>descr</c> strings this codec supports: the element types ONNX models take and give.
/// Every array is held little-endian, the byte order of every device we run on.
/// </summary>
public static class NpyDType
{
    public const string Float16 = "<f2";
    public const string Float32 = "<f4";
    public const string Float64 = "<f8";
    public const string Int32 = "<i4";
    public const string Int64 = "<i8";
    public const string UInt8 = "|u1";
    public const string Bool = "|b1";

    private static readonly Dictionary<string, int> ItemSizes = new(StringComparer.Ordinal)
    {
        [Float16] = 2,
        [Float32] = 4,
        [Float64] = 8,
        [Int32] = 4,
        [Int64] = 8,
        [UInt8] = 1,
        [Bool] = 1,
    };

    public static IReadOnlyCollection<string> All => ItemSizes.Keys;

    public static bool IsSupported(string descr) => ItemSizes.ContainsKey(descr);

    public static int ItemSize(string descr) =>
        ItemSizes.TryGetValue(descr, out var size)
            ? size
            : throw new ArgumentException($"Unsupported dtype '{descr}'; supported: {string.Join(", ", All)}.", nameof(descr));

    /// <summary>
    /// Maps a descr as found in a file to the canonical form above. numpy writes one-byte types with
    /// '|', but '&lt;' and '=' describe the same bytes, so they are accepted too.
    /// </summary>
    internal static string Canonicalize(string descr)
    {
        if (descr.Length == 3 && descr[2] == '1' && descr[0] is '<' or '>' or '=' or '|')
        {
            var oneByte = "|" + descr[1..];
            if (IsSupported(oneByte))
            {
                return oneByte;
            }
        }

        if (IsSupported(descr))
        {
            return descr;
        }

        if (descr.StartsWith('>') && IsSupported("<" + descr[1..]))
        {
            throw new NpyFormatException($"Big-endian dtype '{descr}' is not supported; save the array little-endian (e.g. arr.astype('<{descr[1..]}')).");
        }

        throw new NpyFormatException($"Unsupported dtype '{descr}'; supported: {string.Join(", ", All)}.");
    }
}
