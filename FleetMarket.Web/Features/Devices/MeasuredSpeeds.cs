using FleetMarket.Domain.Devices;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Devices;

/// <summary>
/// How fast devices ran their accepted work lately, from the usage records: what their benchmark claims are
/// checked against (see <see cref="DeviceScore"/>). Reversed work does not count.
/// </summary>
public sealed class MeasuredSpeeds(FleetDbContext db, TimeProvider time)
{
    /// <summary>Recent work only, so a device that was upgraded (or degraded) is judged by what it is now.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public async Task<IReadOnlyDictionary<Guid, MeasuredSpeed>> OfAsync(IReadOnlyCollection<Guid> deviceIds,
        CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - Window;
        return await db.UsageRecords.AsNoTracking()
            .Where(u => deviceIds.Contains(u.DeviceId) && u.RecordedAt >= since && u.ReversedAt == null)
            .GroupBy(u => u.DeviceId)
            .Select(g => new { DeviceId = g.Key, Inferences = g.Sum(u => u.InferenceCount), Milliseconds = g.Sum(u => u.ComputeMilliseconds) })
            .ToDictionaryAsync(x => x.DeviceId, x => new MeasuredSpeed(x.Inferences, x.Milliseconds), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Guid, DeviceScore>> ScoresAsync(IReadOnlyDictionary<Guid, double?> claims,
        CancellationToken cancellationToken = default)
    {
        var measured = await OfAsync(claims.Keys.ToList(), cancellationToken);
        return claims.ToDictionary(c => c.Key, c => DeviceScore.Of(c.Value, measured.GetValueOrDefault(c.Key)));
    }
}
