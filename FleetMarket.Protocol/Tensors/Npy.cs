using System.Buffers.Binary;
using System.Text;

namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// Reads and writes numpy's <c>.npy</c> format
/// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
/// </summary>
public static class Npy
{
    /// <summary>numpy aligns the data to 64 bytes so it can be memory-mapped; we write the same layout.</summary>
    private const int Alignment = 64;

    /// <summary>No array this codec supports needs a longer header: a guard against hostile files claiming gigabytes.</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>The first buffer for data from a stream that cannot say how much is left; it grows as bytes arrive.</summary>
    private const int InitialChunk = 1 << 20;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        var array = Read(stream);
        if (stream.Position != stream.Length)
        {
            throw new NpyFormatException($"{stream.Length - stream.Position} unexpected bytes follow the array data.");
        }

        return array;
    }

    /// <summary>
    /// One array from an untrusted file, the whole of <paramref name="bytes"/>, within <paramref name="limits"/>:
    /// a header the caller refuses, or one claiming more than the budget, is refused before its data is read.
    /// </summary>
    /// <param name="name">What <see cref="NpyLimits.CheckHeader"/> is told the array is called.</param>
    public static NpyArray Read(byte[] bytes, string name, NpyLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(limits);
        var budget = new ByteBudget(limits.MaxBytes);
        using var stream = new BudgetedStream(new MemoryStream(bytes, writable: false), budget);
        return ReadToEnd(stream, name, limits.CheckHeader, budget);
    }

    /// <summary>Reads one array and leaves the stream just after its data.</summary>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, name: string.Empty, check: null, budget: null);
    }

    /// <summary>Reads one array that must be all that is left of <paramref name="stream"/>.</summary>
    internal static NpyArray ReadToEnd(Stream stream, string name, NpyHeaderCheck? check, ByteBudget? budget)
    {
        var array = Read(stream, name, check, budget);
        if (stream.ReadByte() != -1)
        {
            throw new NpyFormatException("Unexpected bytes follow the array data.");
        }

        return array;
    }

    /// <summary>
    /// Reads one array that must be all that is left of <paramref name="stream"/> straight into the buffer
    /// <paramref name="destination"/> gives for its header, after <paramref name="check"/> has judged it.
    /// </summary>
    internal static void ReadToEndInto(Stream stream, string name, NpyHeaderCheck? check, ByteBudget budget, NpyDestination destination)
    {
        var header = ReadHeader(stream, name, check, budget, out var byteCount);
        var target = destination(name, header.Descr, header.Shape);
        if (target.Length != byteCount)
        {
            throw new InvalidOperationException($"The buffer for '{name}' holds {target.Length} bytes; the array takes {byteCount}.");
        }

        if (header.FortranOrder)
        {
            FortranToC(ReadData(stream, byteCount), header.Shape, NpyDType.ItemSize(header.Descr)).CopyTo(target);
        }
        else if (stream.ReadAtLeast(target, byteCount, throwOnEndOfStream: false) is var read && read < byteCount)
        {
            throw Truncated(byteCount, read);
        }

        if (stream.ReadByte() != -1)
        {
            throw new NpyFormatException("Unexpected bytes follow the array data.");
        }
    }

    /// <param name="budget">What <paramref name="stream"/> may still yield, when it charges a budget; null when it is trusted.</param>
    private static NpyArray Read(Stream stream, string name, NpyHeaderCheck? check, ByteBudget? budget)
    {
        var header = ReadHeader(stream, name, check, budget, out var byteCount);
        var data = ReadData(stream, byteCount);
        if (header.FortranOrder)
        {
            data = FortranToC(data, header.Shape, NpyDType.ItemSize(header.Descr));
        }

        return new NpyArray(header.Descr, header.Shape, data);
    }

    /// <summary>The header, judged by <paramref name="check"/> and against the budget before any data is read.</summary>
    private static NpyHeader ReadHeader(Stream stream, string name, NpyHeaderCheck? check, ByteBudget? budget, out int byteCount)
    {
        Span<byte> preamble = stackalloc byte[Magic.Length + 2];
        ReadExactly(stream, preamble, "the magic string and format version");
        if (!preamble[..Magic.Length].SequenceEqual(Magic))
        {
            throw new NpyFormatException("Not a .npy file: it does not start with the magic string \\x93NUMPY.");
        }

        var (major, minor) = (preamble[^2], preamble[^1]);
        var lengthFieldSize = (major, minor) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw new NpyFormatException($"Unsupported .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported."),
        };

        Span<byte> lengthField = stackalloc byte[lengthFieldSize];
        ReadExactly(stream, lengthField, "the header length");
        var headerLength = lengthFieldSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderLength)
        {
            throw new NpyFormatException($"The .npy header is {headerLength} bytes long; at most {MaxHeaderLength} are accepted.");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, "the header");
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        var header = NpyHeader.Parse(encoding.GetString(headerBytes));
        check?.Invoke(name, header.Descr, header.Shape);

        var itemSize = NpyDType.ItemSize(header.Descr);
        var elementCount = CountElementsUpTo(header.Shape, Array.MaxLength);
        if (elementCount > Array.MaxLength / itemSize)
        {
            throw new NpyFormatException(
                $"An array of shape {NpyArray.FormatShape(header.Shape)} and dtype '{header.Descr}' is larger than the {Array.MaxLength} bytes this reader supports.");
        }

        if (budget is not null && elementCount * itemSize > budget.Remaining)
        {
            throw new NpyFormatException(
                $"An array of shape {NpyArray.FormatShape(header.Shape)} and dtype '{header.Descr}' takes {elementCount * itemSize:N0} bytes, "
                + $"more than the {budget.Remaining:N0} left of the {budget.Limit:N0} allowed.");
        }

        byteCount = (int)(elementCount * itemSize);
        return header;
    }

    /// <summary>Writes format 1.0, or 2.0 when the header does not fit 1.0's 16-bit length, in C order.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        WriteHeader(stream, array.DType, array.Shape);
        stream.Write(array.Data);
    }

    /// <summary>Writes the magic string and header of a C-order array; its data is the caller's to write next.</summary>
    public static void WriteHeader(Stream stream, string dtype, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Preamble(new NpyHeader(dtype, FortranOrder: false, shape).Format()));
    }

    /// <summary>
    /// The bytes <see cref="Write"/> takes for an array of <paramref name="dtype"/> and <paramref name="shape"/>,
    /// header included; <see cref="long.MaxValue"/> when they would not fit a long.
    /// </summary>
    public static long EncodedLength(string dtype, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long data = NpyDType.ItemSize(dtype);
        foreach (var dimension in shape)
        {
            data = dimension == 0 ? 0 : data > long.MaxValue / dimension ? long.MaxValue : data * dimension;
        }

        var header = Preamble(new NpyHeader(dtype, FortranOrder: false, shape).Format()).Length;
        return data > long.MaxValue - header ? long.MaxValue : data + header;
    }

    public static byte[] ToBytes(NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        using var stream = new MemoryStream();
        Write(stream, array);
        return stream.ToArray();
    }

    private static byte[] Preamble(string header)
    {
        var headerBytes = Encoding.Latin1.GetBytes(header);
        var lengthFieldSize = 2;
        var padded = PaddedLength(headerBytes.Length, lengthFieldSize);
        if (padded > ushort.MaxValue)
        {
            lengthFieldSize = 4;
            padded = PaddedLength(headerBytes.Length, lengthFieldSize);
        }

        var preamble = new byte[Magic.Length + 2 + lengthFieldSize + padded];
        Magic.CopyTo(preamble, 0);
        preamble[Magic.Length] = (byte)(lengthFieldSize == 2 ? 1 : 2);
        var lengthField = preamble.AsSpan(Magic.Length + 2, lengthFieldSize);
        if (lengthFieldSize == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(lengthField, (ushort)padded);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(lengthField, (uint)padded);
        }

        var headerSpan = preamble.AsSpan(Magic.Length + 2 + lengthFieldSize);
        headerBytes.CopyTo(headerSpan);
        headerSpan[headerBytes.Length..^1].Fill((byte)' ');
        headerSpan[^1] = (byte)'\n';
        return preamble;
    }

    /// <summary>The header's length with numpy's padding: spaces and a newline up to the next multiple of 64 (a full 64 when already aligned, as numpy does).</summary>
    private static int PaddedLength(int headerLength, int lengthFieldSize)
    {
        var unpadded = headerLength + 1;
        return unpadded + Alignment - ((Magic.Length + 2 + lengthFieldSize + unpadded) % Alignment);
    }

    /// <summary>The product of the dimensions, stopped just past <paramref name="limit"/> so a hostile shape cannot overflow it.</summary>
    private static long CountElementsUpTo(int[] shape, long limit)
    {
        if (Array.IndexOf(shape, 0) >= 0)
        {
            return 0;
        }

        long count = 1;
        foreach (var dimension in shape)
        {
            count = Math.Min(count * dimension, limit + 1);
        }

        return count;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new NpyFormatException($"Truncated .npy file: it ends in {what} ({read} of {buffer.Length} bytes).");
        }
    }

    private static byte[] ReadData(Stream stream, int byteCount)
    {
        if (stream.CanSeek && stream.Length - stream.Position < byteCount)
        {
            throw Truncated(byteCount, stream.Length - stream.Position);
        }

        // A header can claim any size, so from a stream of unknown length grow the buffer as bytes arrive
        // instead of allocating what the header claims up front.
        var data = new byte[stream.CanSeek ? byteCount : Math.Min(byteCount, InitialChunk)];
        var filled = 0;
        while (filled < byteCount)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(byteCount, 2L * data.Length));
            }

            var read = stream.Read(data, filled, data.Length - filled);
            if (read == 0)
            {
                throw Truncated(byteCount, filled);
            }

            filled += read;
        }

        return data;
    }

    private static NpyFormatException Truncated(long expected, long actual) =>
        new($"Truncated .npy data: the header promises {expected} bytes but only {actual} follow.");

    /// <summary>Reorders column-major elements into row-major order, walking the target in C order.</summary>
    private static byte[] FortranToC(byte[] data, int[] shape, int itemSize)
    {
        if (shape.Count(d => d != 1) <= 1)
        {
            return data;
        }

        var strides = new long[shape.Length];
        long stride = 1;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            strides[axis] = stride;
            stride *= shape[axis];
        }

        var result = new byte[data.Length];
        var index = new int[shape.Length];
        long source = 0;
        for (long target = 0; target < data.Length; target += itemSize)
        {
            Buffer.BlockCopy(data, (int)(source * itemSize), result, (int)target, itemSize);
            for (var axis = shape.Length - 1; axis >= 0; axis--)
            {
                source += strides[axis];
                if (++index[axis] < shape[axis])
                {
                    break;
                }

                source -= strides[axis] * shape[axis];
                index[axis] = 0;
            }
        }

        return result;
    }
}
