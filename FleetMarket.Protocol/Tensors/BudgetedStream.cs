namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// Reads through to <paramref name="inner"/> (an entry's inflating stream) and charges every byte to a shared
/// <see cref="ByteBudget"/>: a read never asks for more than one byte past what is left, so a bomb fails at
/// that byte instead of after inflating.
/// </summary>
internal sealed class BudgetedStream(Stream inner, ByteBudget budget) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(budget.Remaining < buffer.Length ? buffer[..(int)(budget.Remaining + 1)] : buffer);
        budget.Spend(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
