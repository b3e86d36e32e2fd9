using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Money;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Devices;

/// <summary>What an owner says about a device; its price is in the marketplace currency, the one devices are listed in.</summary>
public sealed record NewDevice(string Name, DeviceKind Kind, string Accelerator, int MemoryMb, string Region,
    Money AskingPricePerHour);

/// <summary>A freshly issued pairing code: shown to the owner once, never stored in clear.</summary>
public sealed record PairingCode(Guid DeviceId, string Code, DateTimeOffset ExpiresAt);

/// <summary>The owner's side of devices. Every method is scoped to the calling owner's own devices.</summary>
public sealed class DeviceService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace,
    DeviceCredentialCache credentials, AuditTrail audit)
{
    public async Task<PairingCode> AddAsync(string ownerId, NewDevice input, CancellationToken cancellationToken = default)
    {
        var device = new Device(ownerId, input.Name, input.Kind, input.Accelerator, input.MemoryMb, input.Region,
            MinorIn(input.AskingPricePerHour, marketplace.Value.Currency), marketplace.Value.Currency, time.GetUtcNow());
        var code = IssueCode(device);
        db.Devices.Add(device);
        await audit.RecordAsync(ownerId, "device.pairing-code", $"device:{device.Id}", "device added", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    public async Task<Device> GetAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken = default) =>
        await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId && d.OwnerId == ownerId, cancellationToken)
        ?? throw new NotFoundException("No such device.");

    public Task EditAsync(string ownerId, Guid deviceId, NewDevice input, CancellationToken cancellationToken = default) =>
        ChangeAsync(ownerId, deviceId, device => device.Describe(input.Name, input.Kind, input.Accelerator, input.MemoryMb,
            input.Region, MinorIn(input.AskingPricePerHour, device.Currency)), cancellationToken);

    public Task SetPolicyAsync(string ownerId, Guid deviceId, AvailabilityPolicy policy, CancellationToken cancellationToken = default) =>
        ChangeAsync(ownerId, deviceId, device => device.SetPolicy(policy), cancellationToken);

    /// <summary>The worker's credential stops working at once on this node, within a minute on the others.</summary>
    public async Task RevokeAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken = default)
    {
        await audit.RecordAsync(ownerId, "device.revoke", $"device:{deviceId}", cancellationToken: cancellationToken);
        await ChangeAsync(ownerId, deviceId, device => device.RevokeCredential(), cancellationToken);
    }

    /// <summary>A new one-time code for (re-)pairing; any earlier code stops working.</summary>
    public async Task<PairingCode> NewPairingCodeAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken = default)
    {
        PairingCode? code = null;
        await audit.RecordAsync(ownerId, "device.pairing-code", $"device:{deviceId}", "re-pairing", cancellationToken);
        await ChangeAsync(ownerId, deviceId, device => code = IssueCode(device), cancellationToken);
        return code!;
    }

    /// <summary>Removes a device that never earned; one with history keeps it, and is revoked instead.</summary>
    public async Task RemoveAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken = default)
    {
        var device = await FindAsync(ownerId, deviceId, cancellationToken);
        if (await db.UsageRecords.AnyAsync(u => u.DeviceId == deviceId, cancellationToken)
            || await db.WorkUnits.AnyAsync(u => u.DeviceId == deviceId && u.Status == WorkUnitStatus.Leased, cancellationToken))
        {
            throw new DomainException("This device has work or earnings on record, so it stays listed. Revoke its credential to stop it.");
        }

        Forget(device);
        db.Devices.Remove(device);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Called by the worker itself (device-authenticated), not by the owner.</summary>
    public async Task RecordCapabilitiesAsync(Guid deviceId, DeviceCapabilities capabilities, CancellationToken cancellationToken = default)
    {
        var device = await db.Devices.SingleAsync(d => d.Id == deviceId, cancellationToken);
        device.RecordCapabilities(capabilities.AvailableProviders, capabilities.ExecutionProvider,
            capabilities.BenchmarkInferencesPerSecond, capabilities.WorkerVersion);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The price's minor units when it is in the device's <paramref name="currency"/>.</summary>
    private static long MinorIn(Money price, string currency) =>
        price.Currency == currency ? price.Minor : throw new DomainException($"The asking price must be in {currency}.");

    private async Task ChangeAsync(string ownerId, Guid deviceId, Action<Device> change, CancellationToken cancellationToken)
    {
        var device = await FindAsync(ownerId, deviceId, cancellationToken);
        Forget(device);
        change(device);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Device> FindAsync(string ownerId, Guid deviceId, CancellationToken cancellationToken) =>
        await db.Devices.SingleOrDefaultAsync(d => d.Id == deviceId && d.OwnerId == ownerId, cancellationToken)
        ?? throw new NotFoundException("No such device.");

    private void Forget(Device device)
    {
        if (device.CredentialHash is { } hash)
        {
            credentials.Forget(hash);
        }
    }

    private PairingCode IssueCode(Device device)
    {
        var code = Secrets.NewPairingCode();
        device.IssuePairingCode(Secrets.Hash(code), time.GetUtcNow());
        return new PairingCode(device.Id, code, device.PairingCodeExpiresAt!.Value);
    }
}
