using System.Linq.Expressions;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Availability;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace FleetMarket.Web.Features.Devices;

/// <summary>What the hot path needs to know about a device, cached with its credential.</summary>
/// <param name="IsFailing">Too many rejected or timed-out results (see <see cref="Domain.Verification.Reliability"/>): less work.</param>
public sealed record AuthenticatedDevice(Guid DeviceId, string OwnerId, AvailabilityPolicy Policy, long AskingPricePerHourMinor,
    double ReliabilityScore = 0.5, bool IsFailing = false)
{
    /// <summary>What the hot path reads of a device, as one projection for the database.</summary>
    public static readonly Expression<Func<Device, AuthenticatedDevice>> FromDevice = d => new AuthenticatedDevice(d.Id, d.OwnerId, d.Policy,
        d.AskingPricePerHourMinor, Reliability.Score(d.ValidResults, d.InvalidResults, d.TimedOutResults),
        Reliability.IsFailing(d.ValidResults, d.InvalidResults, d.TimedOutResults));

    /// <summary>Binds the device that <c>DeviceAuthenticationHandler</c> authenticated as a handler parameter.</summary>
    public static ValueTask<AuthenticatedDevice?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<AuthenticatedDevice>());
}

/// <summary>
/// Resolves device credentials on the hot path (every heartbeat and lease) without a database read each
/// time. Entries live briefly so a revoked credential or a changed policy takes effect within a minute on
/// every node, and at once on the node that made the change.
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
            .Select(AuthenticatedDevice.FromDevice)
            .SingleOrDefaultAsync(cancellationToken);
        if (device is not null)
        {
            cache.Set(hash, device, Lifetime);
        }

        return device;
    }

    /// <summary>Drops a device's entry on this node at once (after a revocation or a policy change).</summary>
    public void Forget(string credentialHash) => cache.Remove(credentialHash);
}
