using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Moves tensors between <see cref="NpyArray"/> and ONNX Runtime. Both hold C-order little-endian
/// bytes, so one copy of the raw buffer serves every element type alike.
/// </summary>
internal static class OrtTensors
{
    public static OrtValue ToOrtValue(NpyArray array, TensorElementType elementType)
    {
        var value = OrtValue.CreateAllocatedTensorValue(
            OrtAllocator.DefaultInstance,
            elementType,
            Array.ConvertAll(array.Shape, dimension => (long)dimension));
        array.Data.CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    public static NpyArray ToNpyArray(string name, OrtValue value)
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

        var shape = Array.ConvertAll(info.Shape, dimension => checked((int)dimension));
        return new NpyArray(dtype, shape, value.GetTensorMutableRawData().ToArray());
    }
}
