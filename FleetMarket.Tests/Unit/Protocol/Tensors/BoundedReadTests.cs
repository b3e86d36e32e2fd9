using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Unit.Protocol.Tensors;

/// <summary>Reading within <see cref="NpyLimits"/>: what a few compressed bytes claim is refused before it is allocated.</summary>
public class BoundedReadTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void NpzRead_HeaderClaimingMoreThanTheBudget_RefusedBeforeItsDataIsInflated()
    {
        var bomb = NpzBomb.Build("x", NpyDType.Float32, [16 * MiB, 4]);

        var (error, allocated) = Reading(() => Npz.Read(bomb, new NpyLimits(MiB)));

        Assert.Contains("takes 268,435,456 bytes, more than the", error.Message);
        Assert.True(allocated < MiB, $"Reading allocated {allocated:N0} bytes for an array it refused.");
    }

    [Fact]
    public void NpzRead_EntryInflatingPastWhatItsHeaderClaims_RefusedAtTheFirstByteBeyond()
    {
        var bomb = NpzBomb.Build("x", NpyDType.Float32, [1024], zeroBytes: 256L * MiB);

        var (error, allocated) = Reading(() => Npz.Read(bomb, new NpyLimits(512L * MiB)));

        Assert.Contains("Unexpected bytes follow the array data", error.Message);
        Assert.True(allocated < MiB, $"Reading allocated {allocated:N0} bytes; the array is 4 KiB.");
    }

    [Fact]
    public void NpzRead_EntriesTogetherOverTheBudget_Refused()
    {
        var half = TestArrays.Sequential(NpyDType.Float32, 1000);
        var archive = Npz.ToBytes(new Dictionary<string, NpyArray> { ["a"] = half, ["b"] = half }, compressed: true);
        var oneEntry = Npy.ToBytes(half).Length;

        Assert.Equal(2, Npz.Read(archive, new NpyLimits(2 * oneEntry)).Count);
        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(archive, new NpyLimits((2 * oneEntry) - 1)));
        Assert.Contains("The .npz entry 'b.npy' is invalid", error.Message);
    }

    [Fact]
    public void NpzRead_BudgetSpentWithinAHeader_RefusedAtTheBudget()
    {
        var archive = Npz.ToBytes(new Dictionary<string, NpyArray> { ["x"] = TestArrays.Sequential(NpyDType.Int64, 3) });

        var error = Assert.Throws<NpyFormatException>(() => Npz.Read(archive, new NpyLimits(16)));

        Assert.Contains("inflate to more than the 16 bytes allowed", error.Message);
    }

    [Fact]
    public void NpzRead_HeaderCheckRefuses_DataNeverRead()
    {
        // The header promises 256 MiB that never follow: a reader that went on would report the data truncated.
        var headerOnly = NpzBomb.Build("x", NpyDType.Float32, [64 * MiB], zeroBytes: 0);

        var error = Assert.Throws<InvalidOperationException>(() => Npz.Read(headerOnly, new NpyLimits(long.MaxValue,
            (name, dtype, shape) => throw new InvalidOperationException($"refused {name} {dtype} [{string.Join(", ", shape)}]"))));

        Assert.Equal("refused x <f4 [67108864]", error.Message);
    }

    [Fact]
    public void NpyRead_PlainFileOverTheBudget_RefusedByItsHeader()
    {
        var bytes = Npy.ToBytes(TestArrays.Sequential(NpyDType.Float64, 100));

        Assert.Equal([100], Npy.Read(bytes, "x", new NpyLimits(bytes.Length)).Shape);
        var error = Assert.Throws<NpyFormatException>(() => Npy.Read(bytes, "x", new NpyLimits(bytes.Length - 1)));
        Assert.Contains("takes 800 bytes, more than the", error.Message);
    }

    [Fact]
    public void EncodedLength_IsWhatWriteWrites()
    {
        var array = TestArrays.Sequential(NpyDType.Float16, 7, 3);

        Assert.Equal(Npy.ToBytes(array).Length, Npy.EncodedLength(array.DType, array.Shape));
        Assert.Equal(long.MaxValue, Npy.EncodedLength(NpyDType.Float64, [int.MaxValue, int.MaxValue, int.MaxValue]));
    }

    /// <summary>What <paramref name="read"/> threw, and the bytes this thread allocated meanwhile (the read is synchronous).</summary>
    private static (NpyFormatException Error, long Allocated) Reading(Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<NpyFormatException>(read);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
