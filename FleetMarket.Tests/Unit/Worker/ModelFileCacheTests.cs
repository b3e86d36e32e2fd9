using FleetMarket.Worker.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class ModelFileCacheTests : IDisposable
{
    private readonly TemporaryWorkerHome _home = new();
    private readonly FixedTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Write_BeyondTheCap_EvictsTheLeastRecentlyUsed()
    {
        var cache = Cache(maxBytes: 3000);
        var (first, second, third, fourth) = (Blob(1), Blob(2), Blob(3), Blob(4));
        Write(cache, first);
        Write(cache, second);
        Write(cache, third);
        Tick();
        Assert.NotNull(cache.TryRead(first.Sha));

        Write(cache, fourth);

        Assert.Null(cache.TryRead(second.Sha));
        Assert.Equal(first.Bytes, cache.TryRead(first.Sha));
        Assert.Equal(third.Bytes, cache.TryRead(third.Sha));
        Assert.Equal(fourth.Bytes, cache.TryRead(fourth.Sha));
        Assert.Equal(3000, cache.TotalBytes());
    }

    [Fact]
    public void Write_LargerThanTheCap_KeepsNothing()
    {
        var cache = Cache(maxBytes: 999);
        var model = Blob(1);

        cache.Write(model.Sha, model.Bytes);

        Assert.Null(cache.TryRead(model.Sha));
        Assert.Equal(0, cache.TotalBytes());
    }

    [Fact]
    public void Write_BytesThatDoNotMatchTheHash_Throws()
    {
        var cache = Cache();

        var error = Assert.Throws<InvalidDataException>(() => cache.Write(Blob(1).Sha, Blob(2).Bytes));

        Assert.Contains("not caching", error.Message);
        Assert.Equal(0, cache.TotalBytes());
    }

    [Fact]
    public void TryRead_FileChangedOnDisk_DeletesItAndReturnsNull()
    {
        var cache = Cache();
        var model = Blob(1);
        cache.Write(model.Sha, model.Bytes);
        var path = Path.Combine(cache.Folder, model.Sha + ".onnx");
        File.WriteAllBytes(path, Blob(2).Bytes);

        Assert.Null(cache.TryRead(model.Sha));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("abc")]
    public void TryRead_NameThatIsNotASha256_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => Cache().TryRead(name));
    }

    private ModelFileCache Cache(long maxBytes = 1 << 20) =>
        new(Path.Combine(_home.Path, "cache", "models"), maxBytes, _time, NullLogger<ModelFileCache>.Instance);

    /// <summary>Writes one second after the previous write, so that their order is their age.</summary>
    private void Write(ModelFileCache cache, (string Sha, byte[] Bytes) model)
    {
        Tick();
        cache.Write(model.Sha, model.Bytes);
    }

    private void Tick() => _time.Now += TimeSpan.FromSeconds(1);

    /// <summary>1,000 bytes: the cache holds any bytes, models or not.</summary>
    private static (string Sha, byte[] Bytes) Blob(byte fill)
    {
        var bytes = Enumerable.Repeat(fill, 1000).ToArray();
        return (ContentHash.Sha256(bytes), bytes);
    }
}
