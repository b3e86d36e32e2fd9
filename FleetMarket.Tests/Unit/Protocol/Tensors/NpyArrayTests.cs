using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

public class NpyArrayTests
{
    [Fact]
    public void Constructor_DataOfWrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new NpyArray(NpyDType.Float32, [2, 2], new byte[15]));

        Assert.Contains("needs 16 bytes, but 15 were given", error.Message);
    }

    [Fact]
    public void Constructor_UnsupportedDtype_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new NpyArray("<c8", [1], new byte[8]));

        Assert.Contains("Unsupported dtype '<c8'", error.Message);
    }

    [Fact]
    public void Constructor_NegativeDimension_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NpyArray(NpyDType.UInt8, [-1], []));
    }

    [Fact]
    public void Constructor_ShapeChangedAfterwards_KeepsItsOwnCopy()
    {
        int[] shape = [2, 2];
        var array = new NpyArray(NpyDType.UInt8, shape, new byte[4]);

        shape[0] = 4;

        Assert.Equal([2, 2], array.Shape);
    }

    [Fact]
    public void Properties_Float64Matrix_DescribeIt()
    {
        var array = TestArrays.Sequential(NpyDType.Float64, 3, 5);

        Assert.Equal(15, array.ElementCount);
        Assert.Equal(8, array.ItemSize);
        Assert.Equal(3, array.RowCount);
    }

    [Fact]
    public void RowCount_Scalar_Throws()
    {
        var scalar = TestArrays.Sequential(NpyDType.Int32);

        var error = Assert.Throws<InvalidOperationException>(() => scalar.RowCount);

        Assert.Contains("scalar", error.Message);
    }

    [Fact]
    public void SliceRows_Middle_ReturnsThoseRows()
    {
        var array = NpyArray.FromFloats([.. Enumerable.Range(0, 12).Select(i => (float)i)], 4, 3);

        var slice = array.SliceRows(1, 2);

        Assert.Equal([2, 3], slice.Shape);
        Assert.Equal([3f, 4, 5, 6, 7, 8], slice.ToFloats());
    }

    [Fact]
    public void SliceRows_ZeroRows_ReturnsEmptyArray()
    {
        var slice = TestArrays.Sequential(NpyDType.Int64, 4, 2).SliceRows(4, 0);

        Assert.Equal([0, 2], slice.Shape);
        Assert.Empty(slice.Data);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 5)]
    [InlineData(3, 2)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void SliceRows_OutOfRange_Throws(int start, int count)
    {
        var array = TestArrays.Sequential(NpyDType.UInt8, 4, 2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => array.SliceRows(start, count));

        Assert.Contains("outside an array of 4 rows", error.Message);
    }

    [Fact]
    public void ConcatRows_SlicesOfAnArray_RebuildsIt()
    {
        var array = TestArrays.Sequential(NpyDType.Float16, 7, 2, 3);

        var rebuilt = NpyArray.ConcatRows([array.SliceRows(0, 3), array.SliceRows(3, 0), array.SliceRows(3, 4)]);

        TestArrays.AssertEqual(array, rebuilt);
    }

    [Fact]
    public void ConcatRows_DifferentDtypes_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => NpyArray.ConcatRows(
            [TestArrays.Sequential(NpyDType.Float32, 1, 2), TestArrays.Sequential(NpyDType.Int32, 1, 2)]));

        Assert.Contains("Array 1 has dtype '<i4' but array 0 has '<f4'", error.Message);
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 1, 2, 1 })]
    [InlineData(new[] { 2 })]
    public void ConcatRows_DifferentTrailingShape_Throws(int[] otherShape)
    {
        var error = Assert.Throws<ArgumentException>(() => NpyArray.ConcatRows(
            [TestArrays.Sequential(NpyDType.Float32, 1, 2), TestArrays.Sequential(NpyDType.Float32, otherShape)]));

        Assert.Contains("does not match array 0's (1, 2) after the first dimension", error.Message);
    }

    [Fact]
    public void ConcatRows_NoArrays_Throws()
    {
        Assert.Throws<ArgumentException>(() => NpyArray.ConcatRows([]));
    }

    [Fact]
    public void ConcatRows_Scalars_Throws()
    {
        Assert.Throws<ArgumentException>(() => NpyArray.ConcatRows([TestArrays.Sequential(NpyDType.Float32)]));
    }

    [Fact]
    public void FromFloats_ThenToFloats_RoundTrips()
    {
        float[] values = [1.5f, -0f, float.NaN, float.MaxValue];

        Assert.Equal(values, NpyArray.FromFloats(values, 2, 2).ToFloats());
    }

    [Fact]
    public void ToFloats_NotFloat32_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => TestArrays.Sequential(NpyDType.Float64, 1).ToFloats());
    }
}
