using System.IO.Compression;
using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

public class NpzTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_ThenRead_RoundTripsArraysInOrder(bool compressed)
    {
        var arrays = new OrderedDictionary<string, NpyArray>
        {
            ["zeta"] = TestArrays.Sequential(NpyDType.Float32, 4, 3),
            ["alpha"] = TestArrays.Sequential(NpyDType.Bool, 2),
            ["scalar"] = TestArrays.Sequential(NpyDType.Int64),
        };

        var read = Npz.Read(Npz.ToBytes(arrays, compressed), TestArrays.Trusted);

        Assert.Equal(["zeta", "alpha", "scalar"], read.Keys);
        foreach (var (name, array) in arrays)
        {
            TestArrays.AssertEqual(array, read[name]);
        }
    }

    [Theory]
    [InlineData(false, CompressionLevel.NoCompression)]
    [InlineData(true, CompressionLevel.Optimal)]
    public void Write_Compressed_StoresOrDeflatesLikeNumpy(bool compressed, CompressionLevel expected)
    {
        var bytes = Npz.ToBytes(new Dictionary<string, NpyArray> { ["x"] = new(NpyDType.Float64, [1000], new byte[8000]) }, compressed);

        using var zip = new ZipArchive(new MemoryStream(bytes));
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("x.npy", entry.FullName);
        Assert.Equal(expected == CompressionLevel.NoCompression, entry.CompressedLength == entry.Length);
    }

    [Fact]
    public void ToBytes_SameArrays_GivesSameBytes()
    {
        var arrays = new Dictionary<string, NpyArray> { ["x"] = TestArrays.Sequential(NpyDType.Float16, 5, 2) };

        var first = Npz.ToBytes(arrays);
        Thread.Sleep(1100);
        var second = Npz.ToBytes(arrays);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_NumpySavez_ReturnsArraysInEntryOrder(bool compressed)
    {
        var read = Npz.Read(compressed ? NumpyFixtures.SavezCompressed : NumpyFixtures.SavezStored, TestArrays.Trusted);

        Assert.Equal(["b", "a"], read.Keys);
        Assert.Equal(NpyDType.Int64, read["b"].DType);
        Assert.Equal([3], read["b"].Shape);
        Assert.Equal([1L, 2, 3], Enumerable.Range(0, 3).Select(i => BitConverter.ToInt64(read["b"].Data, i * 8)));
        Assert.Equal(NpyDType.Bool, read["a"].DType);
        Assert.Equal([1, 2], read["a"].Shape);
        Assert.Equal([1, 0], read["a"].Data);
    }

    [Fact]
    public void Read_FromUnseekableStream_ReadsArrays()
    {
        using var stream = new UnseekableStream(NumpyFixtures.SavezCompressed);

        Assert.Equal(2, Npz.Read(stream, TestArrays.Trusted).Count);
    }

    [Fact]
    public void Read_NotAZip_Throws()
    {
        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(NumpyFixtures.Float32Matrix, TestArrays.Trusted));

        Assert.StartsWith("Not a valid .npz file", error.Message);
    }

    [Fact]
    public void Read_EntryThatIsNotNpy_Throws()
    {
        var bytes = Zip(("notes.txt", "hello"u8.ToArray()));

        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(bytes, TestArrays.Trusted));

        Assert.Contains("'notes.txt' is not a .npy file", error.Message);
    }

    [Fact]
    public void Read_CorruptEntry_ThrowsNamingTheEntry()
    {
        var bytes = Zip(("good.npy", NumpyFixtures.Float32Matrix), ("bad.npy", NumpyFixtures.Float32Matrix[..^4]));

        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(bytes, TestArrays.Trusted));

        Assert.Contains("'bad.npy' is invalid", error.Message);
        Assert.Contains("Truncated", error.Message);
    }

    [Fact]
    public void Read_EntryWithTrailingBytes_Throws()
    {
        var bytes = Zip(("x.npy", [.. NumpyFixtures.Float32Matrix, 1, 2]));

        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(bytes, TestArrays.Trusted));

        Assert.Contains("Unexpected bytes follow", error.Message);
    }

    [Fact]
    public void Write_EmptyName_Throws()
    {
        var arrays = new Dictionary<string, NpyArray> { [""] = TestArrays.Sequential(NpyDType.UInt8, 1) };

        Assert.Throws<ArgumentException>(() => Npz.ToBytes(arrays));
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entryStream = zip.CreateEntry(name).Open();
                entryStream.Write(bytes);
            }
        }

        return stream.ToArray();
    }
}
