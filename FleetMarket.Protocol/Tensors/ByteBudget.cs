namespace FleetMarket.Protocol.Tensors;

/// <summary>The bytes an archive's entries may still inflate to, shared by the streams that read them.</summary>
internal sealed class ByteBudget(long limit)
{
    public long Limit { get; } = limit;

    public long Remaining { get; private set; } = limit;

    public void Spend(int bytes)
    {
        if (bytes > Remaining)
        {
            throw new NpyFormatException($"The arrays inflate to more than the {Limit:N0} bytes allowed.");
        }

        Remaining -= bytes;
    }
}
