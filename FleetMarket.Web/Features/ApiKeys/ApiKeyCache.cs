using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace FleetMarket.Web.Features.ApiKeys;

/// <summary>Resolves an API key to its buyer, if the key is live and its owner still a buyer; cached for a minute.</summary>
public sealed class ApiKeyCache(IMemoryCache cache, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<string?> FindBuyerAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(key);
        if (cache.TryGetValue(CacheKey(hash), out string? buyerId))
        {
            return buyerId;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        var buyerRole = await db.Roles.Where(r => r.Name == Roles.Buyer).Select(r => r.Id).SingleAsync(cancellationToken);
        buyerId = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Where(k => db.UserRoles.Any(ur => ur.UserId == k.BuyerId && ur.RoleId == buyerRole))
            .Select(k => k.BuyerId)
            .SingleOrDefaultAsync(cancellationToken);
        if (buyerId is not null)
        {
            cache.Set(CacheKey(hash), buyerId, Lifetime);
        }

        return buyerId;
    }

    public void Forget(string hash) => cache.Remove(CacheKey(hash));

    // Device credentials share the memory cache: keep the two kinds of entry apart.
    private static string CacheKey(string hash) => $"api-key:{hash}";
}
