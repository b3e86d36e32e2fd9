using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Keeps a running unit's lease alive, one lease period at a time, in one conditional UPDATE: a lease that has
/// run out (its unit may be another device's by now) is never revived, and no unit runs past
/// <see cref="MarketplaceOptions.MaxUnitDuration"/> or into the owner's next departure or window end.
/// </summary>
public sealed class LeaseRenewals(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace, LeaseTransfers transfers)
{
    public async Task<LeaseRenewal> RenewAsync(AuthenticatedDevice device, Guid leaseId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var settings = marketplace.Value;
        var decision = device.Policy.Evaluate(DeviceConditions.Unknown, now, settings.LeaseDuration);
        if (!decision.Allowed)
        {
            throw new ConflictException($"The owner's availability policy ends work on this device now: {decision.Reason}.");
        }

        var expiresAt = now + settings.LeaseDuration;
        var leasedNoEarlierThan = expiresAt - settings.MaxUnitDuration;
        var renewed = await db.WorkUnits
            .Where(u => u.LeaseId == leaseId && u.DeviceId == device.DeviceId && u.Status == WorkUnitStatus.Leased
                        && u.LeaseExpiresAt > now && u.LeasedAt >= leasedNoEarlierThan)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LeaseExpiresAt, expiresAt), cancellationToken);

        return renewed == 1
            ? new LeaseRenewal(leaseId, expiresAt, await FreshTransferAsync(leaseId, cancellationToken))
            : throw await WhyNotAsync(device.DeviceId, leaseId, now, cancellationToken);
    }

    /// <summary>New URLs for a renewed lease: those it came with may run out before its unit is done.</summary>
    private async Task<BlobTransfer?> FreshTransferAsync(Guid leaseId, CancellationToken cancellationToken)
    {
        if (!transfers.AreDirect)
        {
            return null;
        }

        var blobs = await db.WorkUnits.AsNoTracking().Where(u => u.LeaseId == leaseId)
            .Join(db.Jobs, unit => unit.JobId, job => job.Id, (unit, job) => new { job.ModelSha256, unit.InputSha256 })
            .SingleAsync(cancellationToken);
        return transfers.For(leaseId, blobs.ModelSha256, blobs.InputSha256);
    }

    private async Task<Exception> WhyNotAsync(Guid deviceId, Guid leaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unit = await db.WorkUnits.AsNoTracking()
            .Where(u => u.LeaseId == leaseId && u.DeviceId == deviceId)
            .Select(u => new { u.Status, u.LeaseExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        return unit switch
        {
            null => new NotFoundException("No such lease for this device."),
            { Status: not WorkUnitStatus.Leased } => new ConflictException($"The unit is {unit.Status.ToString().ToLowerInvariant()}; there is nothing to renew."),
            _ when unit.LeaseExpiresAt <= now => new ConflictException("The lease has expired; the unit went back to the queue."),
            _ => new ConflictException($"A unit may run for at most {marketplace.Value.MaxUnitDuration}; give it back so a faster device can take it."),
        };
    }
}
