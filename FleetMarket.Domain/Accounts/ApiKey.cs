using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Accounts;

/// <summary>A buyer's key for the HTTP API: shown once, stored as its SHA-256, revocable.</summary>
public sealed class ApiKey
{
    private ApiKey()
    {
    }

    public ApiKey(string buyerId, string name, string prefix, string hash, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("Name the key, so you know later where it is used.");
        }

        Id = Guid.NewGuid();
        BuyerId = buyerId;
        Name = PlainText.Require(name, "The key's name", FieldLimits.ApiKeyName);
        Prefix = prefix;
        Hash = hash;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string BuyerId { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>The key's first characters, enough to recognise it in a list; the rest is never stored.</summary>
    public string Prefix { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
