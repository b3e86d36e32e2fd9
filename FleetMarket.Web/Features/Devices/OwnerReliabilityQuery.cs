using FleetMarket.Domain.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Devices;

public static class OwnerReliabilityQuery
{
    /// <summary>
    /// The reliability of each named owner's devices; owners without devices are left out. Reads the counters and
    /// scores them here, so the score and the failing rule stay in one place (<see cref="Domain.Verification.Reliability"/>):
    /// meant for one page of owners.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, OwnerReliability>> ReliabilityByOwnerAsync(this IQueryable<Device> devices,
        IReadOnlyCollection<string> ownerIds, CancellationToken cancellationToken = default)
    {
        var records = await devices.AsNoTracking().Where(d => ownerIds.Contains(d.OwnerId))
            .Select(d => new { d.OwnerId, Record = new DeviceReliability(d.ValidResults, d.InvalidResults, d.TimedOutResults, d.ValidStreak) })
            .ToListAsync(cancellationToken);
        return records.GroupBy(r => r.OwnerId)
            .ToDictionary(owner => owner.Key, owner => OwnerReliability.Of(owner.Select(r => r.Record).ToList()));
    }
}
