using System.Text;
using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

public class NpyTests
{
    public static TheoryData<string> DTypes => new(NpyDType.All);

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Write_ThenRead_RoundTripsEveryDtype(string dtype)
    {
        var original = TestArrays.Sequential(dtype, 3, 2);

        var read = Npy.Read(Npy.ToBytes(original));

        TestArrays.AssertEqual(original, read);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 0, 4 })]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 2, 1, 3, 1 })]
    public void Write_ThenRead_RoundTripsShapes(int[] shape)
    {
        var original = TestArrays.Sequential(NpyDType.Float64, shape);

        var read = Npy.Read(Npy.ToBytes(original));

        TestArrays.AssertEqual(original, read);
    }

    [Fact]
    public void ToBytes_Float32Matrix_MatchesNumpyByteForByte()
    {
        var array = NpyArray.FromFloats([0, 1, 2, 3, 4, 5], 2, 3);

        Assert.Equal(NumpyFixtures.Float32Matrix, Npy.ToBytes(array));
    }

    [Fact]
    public void ToBytes_Scalar_MatchesNumpyByteForByte()
    {
        var scalar = new NpyArray(NpyDType.Float64, [], BitConverter.GetBytes(3.5));

        Assert.Equal(NumpyFixtures.ScalarFloat64, Npy.ToBytes(scalar));
    }

    [Fact]
    public void ToBytes_AnyArray_AlignsDataTo64Bytes()
    {
        var bytes = Npy.ToBytes(TestArrays.Sequential(NpyDType.Int32, 7, 3));

        Assert.Equal(0, (bytes.Length - (7 * 3 * 4)) % 64);
        Assert.Equal((byte)'\n', bytes[bytes.Length - (7 * 3 * 4) - 1]);
    }

    [Fact]
    public void Read_NumpyScalar_ReturnsEmptyShape()
    {
        var scalar = Npy.Read(NumpyFixtures.ScalarFloat64);

        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.ElementCount);
        Assert.Equal(3.5, BitConverter.ToDouble(scalar.Data));
        Assert.Throws<InvalidOperationException>(() => scalar.RowCount);
    }

    [Fact]
    public void Read_NumpyCOrderMatrix_ReturnsElementsRowByRow()
    {
        var array = Npy.Read(NumpyFixtures.Float32Matrix);

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], array.ToFloats());
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Read_FortranOrder_ReturnsCOrderForEveryDtype(string dtype)
    {
        var expected = TestArrays.Sequential(dtype, 2, 3);
        var size = expected.ItemSize;
        var columnMajor = (from column in Enumerable.Range(0, 3)
                           from row in Enumerable.Range(0, 2)
                           from b in expected.Data.Skip(((row * 3) + column) * size).Take(size)
                           select b).ToArray();

        var array = Npy.Read(NpyFile($"{{'descr': '{dtype}', 'fortran_order': True, 'shape': (2, 3), }}", columnMajor));

        TestArrays.AssertEqual(expected, array);
    }

    [Fact]
    public void Read_NumpyFortranOrder_ReturnsCOrder()
    {
        var array = Npy.Read(NumpyFixtures.FortranInt64);

        Assert.Equal(NpyDType.Int64, array.DType);
        Assert.Equal([2, 3, 4], array.Shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), Int64s(array));
    }

    [Fact]
    public void Read_FortranOrderWithUnitAxes_ReturnsCOrder()
    {
        // (3, 1, 2) in column-major order: element (i, 0, k) sits at i + 3k.
        var data = new long[] { 0, 2, 4, 1, 3, 5 };
        var bytes = NpyFile("{'descr': '<i8', 'fortran_order': True, 'shape': (3, 1, 2), }", data.SelectMany(BitConverter.GetBytes).ToArray());

        var array = Npy.Read(bytes);

        Assert.Equal([0L, 1, 2, 3, 4, 5], Int64s(array));
    }

    [Fact]
    public void Read_NumpyVersion2_ReadsArray()
    {
        var array = Npy.Read(NumpyFixtures.Version2Float64);

        Assert.Equal([2], array.Shape);
        Assert.Equal([1.5, -2.25], Enumerable.Range(0, 2).Select(i => BitConverter.ToDouble(array.Data, i * 8)));
    }

    [Fact]
    public void Read_NumpyVersion3_ReadsArray()
    {
        var array = Npy.Read(NumpyFixtures.Version3Int32);

        Assert.Equal([1, 2], array.Shape);
        Assert.Equal([7, -8], Enumerable.Range(0, 2).Select(i => BitConverter.ToInt32(array.Data, i * 4)));
    }

    [Fact]
    public void Write_HeaderTooLongForVersion1_WritesVersion2()
    {
        // Only an absurd rank makes the header outgrow 1.0's 64 KiB length field.
        var shape = Enumerable.Repeat(1, 30_000).ToArray();
        var original = new NpyArray(NpyDType.UInt8, shape, [42]);

        var bytes = Npy.ToBytes(original);

        Assert.Equal(2, bytes[6]);
        Assert.Equal(1, bytes.Length % 64);
        TestArrays.AssertEqual(original, Npy.Read(bytes));
    }

    [Theory]
    [InlineData("<u1", NpyDType.UInt8)]
    [InlineData("=b1", NpyDType.Bool)]
    public void Read_OneByteDtypeWithByteOrderMark_Canonicalizes(string descr, string expected)
    {
        var array = Npy.Read(NpyFile($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", [1]));

        Assert.Equal(expected, array.DType);
    }

    [Fact]
    public void Read_Python2LongIntegers_ReadsShape()
    {
        var array = Npy.Read(NpyFile("{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 1L), }", [1, 2]));

        Assert.Equal([2, 1], array.Shape);
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        var bytes = NumpyFixtures.Float32Matrix.ToArray();
        bytes[1] = (byte)'X';

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(bytes));

        Assert.Contains("magic string", error.Message);
    }

    [Fact]
    public void Read_UnsupportedVersion_Throws()
    {
        var bytes = NumpyFixtures.Float32Matrix.ToArray();
        bytes[6] = 4;

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(bytes));

        Assert.Contains("version 4.0", error.Message);
    }

    [Fact]
    public void Read_BigEndianFromNumpy_Throws()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(NumpyFixtures.BigEndianFloat32));

        Assert.Contains("Big-endian dtype '>f4'", error.Message);
    }

    [Fact]
    public void Read_ComplexFromNumpy_ThrowsUnsupportedDtype()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(NumpyFixtures.Complex64));

        Assert.Contains("Unsupported dtype '<c8'", error.Message);
    }

    [Fact]
    public void Read_StructuredFromNumpy_ThrowsUnsupportedDtype()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(NumpyFixtures.Structured));

        Assert.Contains("structured arrays", error.Message);
    }

    [Theory]
    [InlineData("not a dict", "expected '{'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "missing 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", "unexpected 'extra'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (1,), }", "appears twice")]
    [InlineData("{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }", "'fortran_order' must be True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }", "'shape' must be a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "outside 0..")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", "header ended")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } trailing", "after the dict")]
    [InlineData("{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,), }", "unexpected '_'")]
    public void Read_MalformedHeader_ThrowsSayingWhy(string header, string expectedProblem)
    {
        var bytes = NpyFile(header, new byte[4]);

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(bytes));

        Assert.StartsWith("Malformed .npy header", error.Message);
        Assert.Contains(expectedProblem, error.Message);
    }

    [Fact]
    public void Read_TruncatedData_Throws()
    {
        var bytes = NumpyFixtures.Float32Matrix[..^3];

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(bytes));

        Assert.Contains("promises 24 bytes but only 21 follow", error.Message);
    }

    [Fact]
    public void Read_TruncatedDataFromUnseekableStream_Throws()
    {
        using var stream = new UnseekableStream(NumpyFixtures.Float32Matrix[..^3]);

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(stream));

        Assert.Contains("promises 24 bytes but only 21 follow", error.Message);
    }

    [Fact]
    public void Read_HugeClaimFromUnseekableStream_ThrowsWithoutAllocatingIt()
    {
        using var stream = new UnseekableStream(NpyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (200000000,), }", new byte[16]));

        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(stream));

        Assert.Contains("only 16 follow", error.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(NumpyFixtures.Float32Matrix[..40]));

        Assert.Contains("ends in the header", error.Message);
    }

    [Fact]
    public void Read_EmptyInput_Throws()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read([]));

        Assert.Contains("Truncated", error.Message);
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read([.. NumpyFixtures.Float32Matrix, 0]));

        Assert.Contains("1 unexpected bytes", error.Message);
    }

    [Fact]
    public void Read_FromStream_LeavesStreamAfterArray()
    {
        using var stream = new MemoryStream([.. NumpyFixtures.Float32Matrix, .. NumpyFixtures.ScalarFloat64]);

        Npy.Read(stream);
        var second = Npy.Read(stream);

        Assert.Empty(second.Shape);
        Assert.Equal(stream.Length, stream.Position);
    }

    /// <summary>A version 1.0 file around <paramref name="header"/>, padded as numpy pads.</summary>
    private static byte[] NpyFile(string header, byte[] data)
    {
        var text = header + new string(' ', 63 - ((10 + header.Length) % 64)) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)text.Length, (byte)(text.Length >> 8), .. Encoding.Latin1.GetBytes(text), .. data];
    }

    private static IEnumerable<long> Int64s(NpyArray array) =>
        Enumerable.Range(0, (int)array.ElementCount).Select(i => BitConverter.ToInt64(array.Data, i * 8));
}
