using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Sizes work units by compute, not by rows, for jobs whose buyer named no size: from what this model cost per row on
/// its recently completed units, as many rows as take <see cref="MarketplaceOptions.UnitTargetDuration"/>. A model
/// never run before is not sized (null): its job starts with a small probe unit whose result sizes the rest (see
/// <see cref="WaitingRowsCutter"/>). Each round trip (lease, input, run, upload, completion) costs milliseconds whatever
/// the unit holds, so a cheap model in four-row units spent most of its time on them.
/// </summary>
public sealed class UnitSizer(FleetDbContext db, IOptions<MarketplaceOptions> marketplace)
{
    /// <summary>Recent units enough to see the model's cost; the median, so one device's odd report cannot swing it.</summary>
    private const int Sample = 51;

    /// <returns>Rows per unit, or null when no unit of the model has run yet.</returns>
    public async Task<int?> RowsPerUnitAsync(string modelSha256, int rows, Func<int, bool> outputsFit, CancellationToken cancellationToken) =>
        RowsPerUnit(await MillisecondsPerRowAsync(modelSha256, cancellationToken), rows, outputsFit);

    /// <summary>
    /// The model's median compute per row on its recently completed units; null for a model never run. Job holds are
    /// estimated from the same figure (<see cref="JobService"/>). Results still being checked count: the cost was
    /// measured all the same. A unit reported as 0 ms took under one: counted as 1 ms, an upper bound, so a cheap
    /// model's units grow large but never past the target.
    /// </summary>
    public async Task<double?> MillisecondsPerRowAsync(string modelSha256, CancellationToken cancellationToken)
    {
        var costs = await db.WorkUnits.AsNoTracking()
            .Where(u => (u.Status == WorkUnitStatus.Done || u.Status == WorkUnitStatus.Checking) && u.RowCount > 0
                        && db.Jobs.Any(j => j.Id == u.JobId && j.ModelSha256 == modelSha256))
            .OrderByDescending(u => u.CompletedAt)
            .Take(Sample)
            .Select(u => new { u.ComputeMilliseconds, u.RowCount })
            .ToListAsync(cancellationToken);
        if (costs.Count == 0)
        {
            return null;
        }

        var perRow = costs.Select(u => (double)Math.Max(u.ComputeMilliseconds, 1) / u.RowCount).Order().ToList();
        return perRow[perRow.Count / 2];
    }

    /// <summary>Rows per unit for a model that costs <paramref name="millisecondsPerRow"/>; null when it was never measured.</summary>
    public int? RowsPerUnit(double? millisecondsPerRow, int rows, Func<int, bool> outputsFit)
    {
        if (millisecondsPerRow is not { } perRow)
        {
            return null;
        }

        var sized = (int)Math.Clamp(marketplace.Value.UnitTargetDuration.TotalMilliseconds / perRow, 1, rows);

        // Never more rows than a device may return outputs for.
        while (sized > 1 && !outputsFit(sized))
        {
            sized /= 2;
        }

        return sized;
    }
}
