using System.Runtime.InteropServices;

namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// An n-dimensional array as numpy stores it: a dtype, a shape and the elements' bytes, always in
/// C order and little-endian, so that slicing rows and handing the buffer to ONNX Runtime need no
/// per-element work.
/// </summary>
public sealed class NpyArray
{
    public NpyArray(string dtype, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);

        ItemSize = NpyDType.ItemSize(dtype);
        if (Array.Exists(shape, d => d < 0))
        {
            throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
        }

        ElementCount = CountElements(shape);
        if (data.LongLength != ElementCount * ItemSize)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} of dtype '{dtype}' needs {ElementCount * ItemSize} bytes, but {data.LongLength} were given.",
                nameof(data));
        }

        DType = dtype;
        Shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>The numpy descr, one of <see cref="NpyDType"/>'s constants.</summary>
    public string DType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in C order, little-endian. Taken as given, not copied: treat it as read-only.</summary>
    public byte[] Data { get; }

    public long ElementCount { get; }

    public int ItemSize { get; }

    public int RowCount => Shape.Length > 0
        ? Shape[0]
        : throw new InvalidOperationException("A scalar (shape ()) has no rows.");

    private long RowBytes => CountElements(Shape.AsSpan(1)) * ItemSize;

    public static NpyArray FromFloats(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new NpyArray(NpyDType.Float32, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }

    public float[] ToFloats()
    {
        if (DType != NpyDType.Float32)
        {
            throw new InvalidOperationException($"ToFloats needs dtype '{NpyDType.Float32}', but this array is '{DType}'.");
        }

        return MemoryMarshal.Cast<byte, float>(Data).ToArray();
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> along the first axis, copied.</summary>
    public NpyArray SliceRows(int start, int count)
    {
        var rows = RowCount;
        if (start < 0 || count < 0 || start > rows - count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start),
                $"Rows [{start}, {start + (long)count}) are outside an array of {rows} rows.");
        }

        var shape = (int[])Shape.Clone();
        shape[0] = count;
        var data = Data.AsSpan(checked((int)(start * RowBytes)), checked((int)(count * RowBytes))).ToArray();
        return new NpyArray(DType, shape, data);
    }

    /// <summary>Stacks arrays along the first axis; they must share dtype and every dimension but the first.</summary>
    public static NpyArray ConcatRows(IReadOnlyList<NpyArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 0)
        {
            throw new ArgumentException("ConcatRows needs at least one array.", nameof(arrays));
        }

        var first = arrays[0];
        if (first.Shape.Length == 0)
        {
            throw new ArgumentException("Scalars (shape ()) have no rows to concatenate.", nameof(arrays));
        }

        long rows = 0;
        for (var i = 0; i < arrays.Count; i++)
        {
            var array = arrays[i];
            if (array.DType != first.DType)
            {
                throw new ArgumentException($"Array {i} has dtype '{array.DType}' but array 0 has '{first.DType}'.", nameof(arrays));
            }

            if (array.Shape.Length != first.Shape.Length || !array.Shape.AsSpan(1).SequenceEqual(first.Shape.AsSpan(1)))
            {
                throw new ArgumentException(
                    $"Array {i} has shape {FormatShape(array.Shape)}, which does not match array 0's {FormatShape(first.Shape)} after the first dimension.",
                    nameof(arrays));
            }

            rows += array.RowCount;
        }

        var shape = (int[])first.Shape.Clone();
        shape[0] = checked((int)rows);
        var data = new byte[arrays.Sum(a => a.Data.LongLength)];
        long offset = 0;
        foreach (var array in arrays)
        {
            array.Data.CopyTo(data, offset);
            offset += array.Data.LongLength;
        }

        return new NpyArray(first.DType, shape, data);
    }

    public override string ToString() => $"{DType} {FormatShape(Shape)}";

    internal static string FormatShape(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + (shape.Length == 1 ? ",)" : ")");

    private static long CountElements(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            count = checked(count * dimension);
        }

        return count;
    }
}
