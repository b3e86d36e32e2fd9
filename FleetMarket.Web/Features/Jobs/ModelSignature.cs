namespace FleetMarket.Web.Features.Jobs;

/// <summary>A model input or output: its name, numpy dtype and dimensions (-1 where any size goes).</summary>
public sealed record TensorSignature(string Name, string DType, int[] Dimensions)
{
    public override string ToString() => $"{Name}: {DType} [{string.Join(", ", Dimensions.Select(d => d < 0 ? "?" : d.ToString()))}]";
}

public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs);
