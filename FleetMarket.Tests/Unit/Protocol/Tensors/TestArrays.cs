using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

internal static class TestArrays
{
    /// <summary>For archives the tests or the app wrote themselves: as large as an array can be.</summary>
    public static NpyLimits Trusted { get; } = new(Array.MaxLength);

    /// <summary>An array whose every byte differs from its neighbours' (bools hold only 0 and 1).</summary>
    public static NpyArray Sequential(string dtype, params int[] shape)
    {
        var itemSize = NpyDType.ItemSize(dtype);
        var count = shape.Aggregate(1, (product, dimension) => product * dimension);
        var data = new byte[count * itemSize];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = dtype == NpyDType.Bool ? (byte)(i % 3 == 0 ? 1 : 0) : (byte)((i * 37) + 11);
        }

        return new NpyArray(dtype, shape, data);
    }

    public static void AssertEqual(NpyArray expected, NpyArray actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Data, actual.Data);
    }
}
