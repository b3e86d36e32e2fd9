using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Sizes work units by compute, not by rows, for jobs whose buyer named no size: from what this model cost per row on
/// its recently accepted units, as many rows as take <see cref="MarketplaceOptions.UnitTargetDuration"/>. A model
/// never run before starts with small probe units (<see cref="MarketplaceOptions.DefaultRowsPerUnit"/>), whose
/// results size its next jobs. Each round trip (lease, input, run, upload, completion) costs milliseconds whatever
/// the unit holds, so a cheap model in four-row units spent most of its time on them.
/// </summary>
public sealed class UnitSizer(FleetDbContext db, IOptions<MarketplaceOptions> marketplace)
{
    /// <summary>Recent units enough to see the model's cost; the median, so one device's odd report cannot swing it.</summary>
    private const int Sample = 51;

    public async Task<int> RowsPerUnitAsync(string modelSha256, int rows, Func<int, bool> outputsFit, CancellationToken cancellationToken) =>
        RowsPerUnit(await MillisecondsPerRowAsync(modelSha256, cancellationToken), rows, outputsFit);

    /// <summary>
    /// The model's median compute per row on its recently accepted units; null for a model never run. Job holds are
    /// estimated from the same figure (<see cref="JobService"/>).
    /// </summary>
    public async Task<double?> MillisecondsPerRowAsync(string modelSha256, CancellationToken cancellationToken)
    {
        var costs = await db.WorkUnits.AsNoTracking()
            .Where(u => u.Status == WorkUnitStatus.Done && u.ComputeMilliseconds > 0 && u.RowCount > 0
                        && db.Jobs.Any(j => j.Id == u.JobId && j.ModelSha256 == modelSha256))
            .OrderByDescending(u => u.CompletedAt)
            .Take(Sample)
            .Select(u => (double)u.ComputeMilliseconds / u.RowCount)
            .ToListAsync(cancellationToken);
        if (costs.Count == 0)
        {
            return null;
        }

        costs.Sort();
        return costs[costs.Count / 2];
    }

    /// <summary>Rows per unit for a model that costs <paramref name="millisecondsPerRow"/> (null: never measured).</summary>
    public int RowsPerUnit(double? millisecondsPerRow, int rows, Func<int, bool> outputsFit)
    {
        var settings = marketplace.Value;
        if (millisecondsPerRow is not { } perRow)
        {
            return settings.DefaultRowsPerUnit;
        }

        var sized = (int)Math.Clamp(settings.UnitTargetDuration.TotalMilliseconds / perRow, 1, rows);

        // Never more rows than a device may return outputs for.
        while (sized > 1 && !outputsFit(sized))
        {
            sized /= 2;
        }

        return sized;
    }
}
