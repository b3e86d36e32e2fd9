using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

public sealed class OnnxElementTypesTests
{
    [Theory]
    [InlineData(TensorElementType.Float, NpyDType.Float32)]
    [InlineData(TensorElementType.Float16, NpyDType.Float16)]
    [InlineData(TensorElementType.Double, NpyDType.Float64)]
    [InlineData(TensorElementType.Int64, NpyDType.Int64)]
    [InlineData(TensorElementType.Int32, NpyDType.Int32)]
    [InlineData(TensorElementType.UInt8, NpyDType.UInt8)]
    [InlineData(TensorElementType.Bool, NpyDType.Bool)]
    public void TryGetDType_OnnxRuntimeElementType_MapsToItsNumpyDType(TensorElementType type, string expected)
    {
        Assert.True(OnnxElementTypes.TryGetDType((int)type, out var dtype));
        Assert.Equal(expected, dtype);
    }

    [Fact]
    public void TryGetDType_StringTensors_HaveNoNumpyForm() =>
        Assert.False(OnnxElementTypes.TryGetDType((int)TensorElementType.String, out _));
}
