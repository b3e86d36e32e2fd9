using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>A model input or output: its name, numpy dtype and dimensions (-1 where any size goes).</summary>
public sealed record TensorSignature(string Name, string DType, int[] Dimensions)
{
    /// <summary>A dynamic first dimension: ONNX's convention for a batch axis (see <see cref="InputBinder"/>).</summary>
    public bool IsBatched => Dimensions is [< 0, ..];

    /// <summary>The dimensions as <c>[?, 4]</c>, <c>?</c> where any size goes.</summary>
    public string Shape => $"[{string.Join(", ", Dimensions.Select(d => d < 0 ? "?" : d.ToString()))}]";

    public override string ToString() => $"{Name}: {DType} {Shape}";
}

public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    /// <summary>
    /// The least a unit of <paramref name="rows"/> rows returns, as the <c>.npy</c> entries of its <c>.npz</c>: each
    /// output's batch axis is the rows, and any other dynamic axis is counted as 1, because only known dimensions are certain.
    /// </summary>
    public long OutputBytes(int rows) =>
        Outputs.Aggregate(0L, (total, output) =>
        {
            var shape = output.Dimensions.Select((d, axis) => d >= 0 ? d : axis == 0 ? rows : 1).ToArray();
            return Math.Min(long.MaxValue - total, Npy.EncodedLength(output.DType, shape)) + total;
        });
}
