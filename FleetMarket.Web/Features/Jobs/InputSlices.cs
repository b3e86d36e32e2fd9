using FleetMarket.Protocol.Tensors;
using FleetMarket.Web.Blobs;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>Stores each unit's rows of the inputs as its own <c>.npz</c> blob, the input a device fetches for the unit.</summary>
public static class InputSlices
{
    /// <param name="ranges">Row ranges of <paramref name="inputs"/>, in unit order.</param>
    /// <returns>The slices' SHA-256s, in the same order.</returns>
    public static async Task<IReadOnlyList<string>> PutAsync(IBlobStore blobs, BoundInputs inputs, IEnumerable<(int Start, int Count)> ranges,
        CancellationToken cancellationToken)
    {
        var rows = ranges.ToList();
        var slices = new string[rows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = IBlobStore.ConcurrentRequests, CancellationToken = cancellationToken },
            async (i, token) => slices[i] = await blobs.PutAsync(Npz.ToBytes(inputs.ForRows(rows[i].Start, rows[i].Count)), token));
        return slices;
    }
}
