using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Moves <c>.npz</c> archives in and out of ONNX Runtime's own buffers: each input array is read from the archive
/// straight into its tensor, each output tensor written straight into the archive, with no <see cref="NpyArray"/>
/// (and no copy) between. Both hold C-order little-endian bytes, so one copy serves every element type alike.
/// </summary>
internal static class OrtNpz
{
    /// <summary>Reads the inputs into tensors from <paramref name="pool"/>, in <paramref name="session"/>'s input order.</summary>
    /// <exception cref="ModelInputException">The arrays do not match the model's input names, dtypes or shapes.</exception>
    public static OrtValue[] Decode(InferenceSession session, byte[] inputNpz, TensorBufferPool pool)
    {
        var metadata = session.InputMetadata;
        var decoded = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            // The server stores its input slices, it does not deflate them (Npz.ToBytes), so their arrays can be no
            // larger than the archive: a budget of its own length stops a server, or whoever stands in for it, inflating one.
            var limits = new NpyLimits(inputNpz.Length, (name, dtype, shape) => ModelInputValidator.ValidateArray(metadata, name, dtype, shape));
            var names = Npz.ReadInto(inputNpz, limits, (name, _, shape) =>
            {
                var value = pool.Rent(metadata[name].ElementDataType, shape);
                decoded.Add(name, value);
                return value.GetTensorMutableRawData();
            });
            ModelInputValidator.ValidateNames(metadata, names);
            return [.. session.InputNames.Select(name => decoded[name])];
        }
        catch
        {
            foreach (var value in decoded.Values)
            {
                pool.Return(value);
            }

            throw;
        }
    }

    /// <summary>The outputs as an <c>.npz</c> (entries stored, as <c>numpy.savez</c> writes them), keyed by output name.</summary>
    public static byte[] Encode(IReadOnlyList<string> names, IReadOnlyList<OrtValue> values)
    {
        var dtypes = new string[values.Count];
        var shapes = new int[values.Count][];
        long size = 0;
        for (var i = 0; i < values.Count; i++)
        {
            (dtypes[i], shapes[i]) = Describe(names[i], values[i]);
            size += Npy.EncodedLength(dtypes[i], shapes[i]) + ZipOverheadPerEntry + (2 * names[i].Length);
        }

        // Sized up front so the archive is written once, not regrown and copied as it fills.
        using var stream = new MemoryStream((int)Math.Min(size + ZipOverhead, Array.MaxLength));
        Npz.Write(stream, names, (i, entry) =>
        {
            Npy.WriteHeader(entry, dtypes[i], shapes[i]);
            entry.Write(values[i].GetTensorMutableRawData());
        });
        return stream.ToArray();
    }

    /// <summary>A stored zip entry's local header, data descriptor and central directory record, with room to spare.</summary>
    private const int ZipOverheadPerEntry = 128;

    private const int ZipOverhead = 64;

    private static (string DType, int[] Shape) Describe(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new NotSupportedException($"Output '{name}' is a {value.OnnxType}, not a tensor; only tensors can be saved as .npy.");
        }

        var info = value.GetTensorTypeAndShape();
        if (!OnnxElementTypes.TryGetDType((int)info.ElementDataType, out var dtype))
        {
            throw new NotSupportedException(
                $"Output '{name}' holds {info.ElementDataType} elements; only {OnnxElementTypes.DescribeSupported()} can be saved as .npy.");
        }

        return (dtype, Array.ConvertAll(info.Shape, dimension => checked((int)dimension)));
    }
}
