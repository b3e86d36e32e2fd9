using System.IO.Compression;
using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// A decompression bomb in numpy's clothes: an <c>.npz</c> whose one entry is a valid <c>.npy</c> header followed by
/// zeros, deflated as they are written, so the archive is about a thousandth of what it inflates to.
/// </summary>
internal static class NpzBomb
{
    /// <param name="zeroBytes">The zeros after the header: by default as many as the header claims.</param>
    public static byte[] Build(string arrayName, string dtype, int[] shape, long? zeroBytes = null)
    {
        var left = zeroBytes ?? shape.Aggregate((long)NpyDType.ItemSize(dtype), (bytes, dimension) => bytes * dimension);
        var zeros = new byte[1024 * 1024];
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(arrayName + ".npy", CompressionLevel.Optimal).Open();
            Npy.WriteHeader(entry, dtype, shape);
            for (; left > 0; left -= zeros.Length)
            {
                entry.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            }
        }

        return archive.ToArray();
    }
}
