using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Cuts a job's <see cref="WorkUnitStatus.Waiting"/> rows into units once its probe unit has measured what the model
/// costs per row: at once, on the probe's completion, and as a background task enqueued beside it, so a crash before
/// the cut loses nothing. Of two cuts at once, exactly one removes the waiting rows and adds their units, in one transaction.
/// </summary>
public sealed class WaitingRowsCutter(FleetDbContext db, IBlobStore blobs, ModelInspector inspector, UnitSizer sizer,
    IOptions<MarketplaceOptions> marketplace)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task CutAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var waiting = await db.WorkUnits.AsNoTracking()
            .SingleOrDefaultAsync(u => u.JobId == jobId && u.Status == WorkUnitStatus.Waiting, cancellationToken);
        if (waiting is null)
        {
            return;
        }

        var settings = marketplace.Value;
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var signature = inspector.Inspect(await blobs.ReadAllAsync(job.ModelSha256, cancellationToken));
        if (await sizer.RowsPerUnitAsync(job.ModelSha256, waiting.RowCount, rows => signature.OutputBytes(rows) <= settings.MaxOutputBytes,
                cancellationToken) is not { } rowsPerUnit)
        {
            return;
        }

        // The waiting rows were bound to the model when the job was submitted; binding them again only splits them.
        var inputs = InputBinder.Bind(signature, "inputs.npz", await blobs.ReadAllAsync(waiting.InputSha256, cancellationToken),
            settings.MaxInputBytes);
        var slices = await InputSlices.PutAsync(blobs, inputs,
            job.UnitRanges(rowsPerUnit, waiting.RowStart).Select(range => (range.Start - waiting.RowStart, range.Count)), cancellationToken);
        var units = job.CutWaiting(waiting, rowsPerUnit, slices);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.WorkUnits.Where(u => u.Id == waiting.Id && u.Status == WorkUnitStatus.Waiting).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return;
        }

        db.WorkUnits.AddRange(units);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
