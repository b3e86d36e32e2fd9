namespace FleetMarket.Protocol.Tensors;

/// <summary>Judges one array by its name, dtype and shape, before any of its data is read; throws to refuse it.</summary>
public delegate void NpyHeaderCheck(string name, string dtype, int[] shape);

/// <summary>The buffer an array of this name, dtype and shape is read into, in C order: exactly its size in bytes.</summary>
public delegate Span<byte> NpyDestination(string name, string dtype, int[] shape);

/// <summary>
/// What a reader takes from an untrusted <c>.npy</c> or <c>.npz</c>. A few compressed bytes can inflate to
/// gigabytes, so the bytes read are counted as they inflate, headers included, and reading stops at the first
/// byte past <paramref name="MaxBytes"/>; an array whose header claims more than is left is refused before
/// anything is allocated for it.
/// </summary>
/// <param name="MaxBytes">The most bytes the arrays may take, all of an archive's entries together.</param>
/// <param name="CheckHeader">What the caller knows the arrays must be (a model's inputs, say).</param>
public sealed record NpyLimits(long MaxBytes, NpyHeaderCheck? CheckHeader = null)
{
    public long MaxBytes { get; } = MaxBytes > 0
        ? MaxBytes
        : throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "A byte budget must be above zero.");
}
