using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace FleetMarket.Web.Features.Devices;

public sealed record AuthenticatedDevice(Guid DeviceId, string OwnerId);

/// <summary>
/// Resolves device credentials on the hot path (every heartbeat and lease) without a database read each
/// time. Entries live briefly so a revoked credential stops working within a minute on every node.
/// </summary>
public sealed class DeviceCredentialCache(IMemoryCache cache, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<AuthenticatedDevice?> FindAsync(string credential, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(credential);
        if (cache.TryGetValue(hash, out AuthenticatedDevice? known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        var device = await db.Devices.AsNoTracking()
            .Where(d => d.CredentialHash == hash && d.Status != Domain.Devices.DeviceStatus.Suspended)
            .Select(d => new AuthenticatedDevice(d.Id, d.OwnerId))
            .SingleOrDefaultAsync(cancellationToken);
        if (device is not null)
        {
            cache.Set(hash, device, Lifetime);
        }

        return device;
    }
}
