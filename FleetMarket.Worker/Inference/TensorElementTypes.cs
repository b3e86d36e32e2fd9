using FleetMarket.Domain.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FleetMarket.Worker.Inference;

/// <summary>The element types that have both an ONNX and a numpy form, and how they map.</summary>
internal static class TensorElementTypes
{
    private static readonly Dictionary<TensorElementType, string> ToNpy = new()
    {
        [TensorElementType.Float] = NpyDType.Float32,
        [TensorElementType.Float16] = NpyDType.Float16,
        [TensorElementType.Double] = NpyDType.Float64,
        [TensorElementType.Int64] = NpyDType.Int64,
        [TensorElementType.Int32] = NpyDType.Int32,
        [TensorElementType.UInt8] = NpyDType.UInt8,
        [TensorElementType.Bool] = NpyDType.Bool,
    };

    public static bool TryGetDType(TensorElementType elementType, out string dtype) =>
        ToNpy.TryGetValue(elementType, out dtype!);

    public static string DescribeSupported() => string.Join(", ", ToNpy.Keys);
}
