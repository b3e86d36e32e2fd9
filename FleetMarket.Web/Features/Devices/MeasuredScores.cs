using FleetMarket.Domain.Devices;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Devices;

/// <summary>
/// The scores devices' recent accepted work implies, from the usage records of the models they ran and of every
/// other device that ran those models (see <see cref="PeerCalibration"/>): what benchmark claims are checked
/// against. Reversed work does not count.
/// </summary>
public sealed class MeasuredScores(FleetDbContext db, TimeProvider time)
{
    /// <summary>Recent work only, so a device that was upgraded (or degraded) is judged by what it is now.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public async Task<IReadOnlyDictionary<Guid, DeviceScore>> ScoresAsync(IReadOnlyDictionary<Guid, double?> claims,
        CancellationToken cancellationToken = default)
    {
        var deviceIds = claims.Keys.ToList();
        var since = time.GetUtcNow() - Window;
        var work = db.UsageRecords.AsNoTracking()
            .Where(u => u.RecordedAt >= since && u.ReversedAt == null)
            .Join(db.Jobs, u => u.JobId, j => j.Id, (u, j) => new { u.DeviceId, j.ModelSha256, u.WorkUnitId, u.ComputeMilliseconds });
        var models = work.Where(w => deviceIds.Contains(w.DeviceId)).Select(w => w.ModelSha256).Distinct();
        var totals = await work.Where(w => models.Contains(w.ModelSha256))
            .Join(db.WorkUnits, w => w.WorkUnitId, u => u.Id, (w, u) => new { w.DeviceId, w.ModelSha256, u.RowCount, w.ComputeMilliseconds })
            .GroupBy(w => new { w.DeviceId, w.ModelSha256 })
            .Select(g => new { g.Key.DeviceId, g.Key.ModelSha256, Rows = g.Sum(w => (long)w.RowCount), Milliseconds = g.Sum(w => w.ComputeMilliseconds) })
            .ToListAsync(cancellationToken);
        var peers = totals.Select(t => t.DeviceId).Distinct().ToList();
        var claimed = await db.Devices.AsNoTracking().Where(d => peers.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.BenchmarkScore, cancellationToken);
        var measured = PeerCalibration.Estimate(totals
            .Select(t => new WorkSample(t.DeviceId, t.ModelSha256, t.Rows, t.Milliseconds, claimed.GetValueOrDefault(t.DeviceId)))
            .ToList());
        return claims.ToDictionary(c => c.Key, c => DeviceScore.Of(c.Value, measured.GetValueOrDefault(c.Key)));
    }
}
