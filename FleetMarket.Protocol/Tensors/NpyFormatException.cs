namespace FleetMarket.Protocol.Tensors;

/// <summary>
/// The bytes are not a <c>.npy</c> or <c>.npz</c> file this codec can read. The message names the
/// exact problem, because it goes back to whoever uploaded the file.
/// </summary>
public sealed class NpyFormatException : Exception
{
    public NpyFormatException(string message)
        : base(message)
    {
    }

    public NpyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
