using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Devices;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.ApiKeys;

/// <summary>A new key: the secret is in <see cref="Key"/> now and never again.</summary>
public sealed record IssuedApiKey(Guid Id, string Name, string Key);

public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A buyer's API keys. Every method is scoped to the calling buyer's own keys.</summary>
public sealed class ApiKeyService(FleetDbContext db, TimeProvider time, ApiKeyCache cache, AuditTrail audit)
{
    public async Task<IssuedApiKey> CreateAsync(string buyerId, string name, CancellationToken cancellationToken = default)
    {
        var secret = Secrets.NewApiKey();
        var key = new ApiKey(buyerId, name, secret[..12], Secrets.Hash(secret), time.GetUtcNow());
        db.ApiKeys.Add(key);
        await audit.RecordAsync(buyerId, "api-key.create", $"api-key:{key.Id}", key.Name, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(key.Id, key.Name, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(string buyerId, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.BuyerId == buyerId).OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The key stops working at once on this node and within a minute on the others.</summary>
    public async Task RevokeAsync(string buyerId, Guid keyId, CancellationToken cancellationToken = default)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.BuyerId == buyerId, cancellationToken)
                  ?? throw new NotFoundException("No such key.");
        key.Revoke(time.GetUtcNow());
        await audit.RecordAsync(buyerId, "api-key.revoke", $"api-key:{key.Id}", key.Name, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        cache.Forget(key.Hash);
    }
}
