using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// A job's inputs as <see cref="InputBinder"/> matched them to the model: <paramref name="Batched"/> arrays are
/// cut into row ranges, <paramref name="Whole"/> arrays go unchanged to every work unit.
/// </summary>
/// <param name="Rows">The batched arrays' shared row count; 1 when there are none.</param>
public sealed record BoundInputs(IReadOnlyDictionary<string, NpyArray> Batched, IReadOnlyDictionary<string, NpyArray> Whole, int Rows)
{
    /// <summary>One unit's arrays: rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of each batched input, and every whole input as it is.</summary>
    public IReadOnlyDictionary<string, NpyArray> ForRows(int start, int count)
    {
        var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var (name, array) in Batched)
        {
            arrays.Add(name, array.SliceRows(start, count));
        }

        foreach (var (name, array) in Whole)
        {
            arrays.Add(name, array);
        }

        return arrays;
    }
}
