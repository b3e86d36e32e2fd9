using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Web.Data;
using FleetMarket.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Devices;

public sealed record NewDevice(string Name, DeviceKind Kind, string Accelerator, int MemoryMb, string Region,
    long AskingPricePerHourMinor);

public sealed record DeviceSummary(Guid Id, string Name, DeviceKind Kind, string Accelerator, string Region,
    long AskingPricePerHourMinor, string Currency, DeviceStatus Status, string? ExecutionProvider, DateTimeOffset? LastSeenAt);

/// <summary>A freshly issued pairing code: shown to the owner once, never stored in clear.</summary>
public sealed record PairingCode(Guid DeviceId, string Code, DateTimeOffset ExpiresAt);

/// <summary>The owner's side of devices. Every method is scoped to the calling owner's own devices.</summary>
public sealed class DeviceService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    public async Task<PairingCode> AddAsync(string ownerId, NewDevice input, CancellationToken cancellationToken = default)
    {
        var device = new Device(ownerId, input.Name, input.Kind, input.Accelerator, input.MemoryMb, input.Region,
            input.AskingPricePerHourMinor, marketplace.Value.Currency, time.GetUtcNow());
        var code = IssueCode(device);
        db.Devices.Add(device);
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>A new one-time code for (re-)pairing; any earlier code stops working.</summary>
    public async Task<PairingCode> NewPairingCodeAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken = default)
    {
        var device = await db.Devices.SingleOrDefaultAsync(d => d.Id == deviceId && d.OwnerId == ownerId, cancellationToken)
                     ?? throw new DomainException("No such device.");
        var code = IssueCode(device);
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    public async Task<IReadOnlyList<DeviceSummary>> ListAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var offlineBefore = time.GetUtcNow() - marketplace.Value.OfflineAfter;
        var devices = await db.Devices.AsNoTracking()
            .Where(d => d.OwnerId == ownerId)
            .OrderBy(d => d.Name)
            .ToListAsync(cancellationToken);
        return devices.Select(d => new DeviceSummary(d.Id, d.Name, d.Kind, d.Accelerator, d.Region,
                d.AskingPricePerHourMinor, d.Currency,
                d.Status == DeviceStatus.Online && d.LastSeenAt < offlineBefore ? DeviceStatus.Offline : d.Status,
                d.ExecutionProvider, d.LastSeenAt))
            .ToList();
    }

    private PairingCode IssueCode(Device device)
    {
        var code = Secrets.NewPairingCode();
        device.IssuePairingCode(Secrets.Hash(code), time.GetUtcNow());
        return new PairingCode(device.Id, code, device.PairingCodeExpiresAt!.Value);
    }
}
