namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// The ONNX tensor element types that have a numpy form, keyed by ONNX's <c>TensorProto.DataType</c> code
/// (ONNX Runtime's <c>TensorElementType</c> uses the same numbers), so the server and the worker agree.
/// </summary>
public static class OnnxElementTypes
{
    private static readonly Dictionary<int, (string Name, string DType)> Supported = new()
    {
        [1] = ("float", NpyDType.Float32),
        [10] = ("float16", NpyDType.Float16),
        [11] = ("double", NpyDType.Float64),
        [7] = ("int64", NpyDType.Int64),
        [6] = ("int32", NpyDType.Int32),
        [2] = ("uint8", NpyDType.UInt8),
        [9] = ("bool", NpyDType.Bool),
    };

    public static bool TryGetDType(int onnxElementType, out string dtype)
    {
        var found = Supported.TryGetValue(onnxElementType, out var type);
        dtype = type.DType;
        return found;
    }

    public static string DescribeSupported() => string.Join(", ", Supported.Values.Select(t => t.Name));
}
