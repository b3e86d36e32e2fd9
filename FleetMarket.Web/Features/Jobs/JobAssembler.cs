using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Joins the units' accepted outputs, in input order, into the job's download: <c>.npy</c> for one output,
/// <c>.npz</c> for several. A background task (Hangfire), so a crash mid-way is retried; running it twice is harmless.
/// </summary>
public sealed class JobAssembler(FleetDbContext db, IBlobStore blobs, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task AssembleAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.Include(j => j.Units).SingleAsync(j => j.Id == jobId, cancellationToken);
        var accepted = job.Units.Where(u => u.Status == WorkUnitStatus.Done).GroupBy(u => u.Index)
            .Select(g => g.MinBy(u => u.Replica)!).OrderBy(u => u.Index).ToList();
        var indexes = job.Units.Select(u => u.Index).Distinct().Count();
        if (job.IsFinished || accepted.Count < indexes
                           || job.Units.Any(u => u.Status is WorkUnitStatus.Queued or WorkUnitStatus.Leased or WorkUnitStatus.Checking))
        {
            return;
        }

        var perUnit = new IReadOnlyDictionary<string, NpyArray>[accepted.Count];
        var limits = new NpyLimits(marketplace.Value.MaxOutputBytes);
        await Parallel.ForEachAsync(Enumerable.Range(0, accepted.Count),
            new ParallelOptions { MaxDegreeOfParallelism = IBlobStore.ConcurrentRequests, CancellationToken = cancellationToken },
            async (i, token) => perUnit[i] = Npz.Read(await blobs.ReadAllAsync(accepted[i].OutputSha256!, token), limits));

        // One unit's outputs are the job's as they are: they need not have rows (see CompletionService).
        var outputs = perUnit.Length == 1
            ? perUnit[0]
            : perUnit[0].Keys.ToDictionary(
                name => name,
                name => NpyArray.ConcatRows(perUnit.Select(unitOutputs => unitOutputs[name]).ToList()));
        var (bytes, fileName) = outputs.Count == 1
            ? (Npy.ToBytes(outputs.Values.Single()), "outputs.npy")
            : (Npz.ToBytes(outputs), "outputs.npz");
        job.Complete(await blobs.PutAsync(bytes, cancellationToken), fileName, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }
}
