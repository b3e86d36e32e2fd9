using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Money;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Devices;

/// <summary>How a device looks to its owner right now; Working and Idle split Online by whether it holds a lease.</summary>
public enum DeviceState
{
    PendingPairing,
    Working,
    Idle,
    Offline,
    Suspended,
}

public sealed record DeviceRow(Guid Id, string Name, DeviceKind Kind, string Accelerator, string Region,
    Money AskingPricePerHour, DeviceState State, string? ExecutionProvider, DeviceScore Score,
    DateTimeOffset? LastSeenAt, Money EarningsThisMonth, DeviceReliability Reliability);

public sealed record DevicePage(IReadOnlyList<DeviceRow> Rows, int Total);

/// <summary>The owner's devices a page at a time, with live state, this month's earnings and the reliability record per device.</summary>
public sealed class DeviceListing(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace, MeasuredScores measured)
{
    public async Task<DevicePage> PageAsync(string ownerId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var owned = db.Devices.AsNoTracking().Where(d => d.OwnerId == ownerId);
        var devices = await owned.OrderBy(d => d.Name).Skip(page * pageSize).Take(pageSize)
            .Select(d => new
            {
                Device = d,
                Working = db.WorkUnits.Any(u => u.DeviceId == d.Id && u.Status == WorkUnitStatus.Leased && u.LeaseExpiresAt > now),
                Earned = db.UsageRecords.Where(u => u.DeviceId == d.Id && u.Currency == d.Currency && u.RecordedAt >= monthStart)
                    .Sum(u => u.ChargeMinor - u.FeeMinor),
            })
            .ToListAsync(cancellationToken);
        var scores = await measured.ScoresAsync(devices.ToDictionary(x => x.Device.Id, x => x.Device.BenchmarkScore), cancellationToken);
        var offlineBefore = now - marketplace.Value.OfflineAfter;
        var rows = devices.Select(x => new DeviceRow(x.Device.Id, x.Device.Name, x.Device.Kind, x.Device.Accelerator,
                x.Device.Region, new Money(x.Device.AskingPricePerHourMinor, x.Device.Currency), StateOf(x.Device, x.Working, offlineBefore),
                x.Device.ExecutionProvider, scores[x.Device.Id], x.Device.LastSeenAt, new Money(x.Earned, x.Device.Currency),
                DeviceReliability.Of(x.Device)))
            .ToList();
        return new DevicePage(rows, await owned.CountAsync(cancellationToken));
    }

    private static DeviceState StateOf(Device device, bool working, DateTimeOffset offlineBefore) => device.Status switch
    {
        DeviceStatus.PendingPairing => DeviceState.PendingPairing,
        DeviceStatus.Suspended => DeviceState.Suspended,
        _ when working => DeviceState.Working,
        DeviceStatus.Online when device.LastSeenAt >= offlineBefore => DeviceState.Idle,
        _ => DeviceState.Offline,
    };
}
