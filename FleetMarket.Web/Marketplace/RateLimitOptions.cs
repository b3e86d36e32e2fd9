using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Marketplace;

/// <summary>How many requests a minute each kind of caller may make; from configuration section "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts per client address: passwords must be slow to guess.</summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>
    /// Requests per device credential beyond those its work needs (each unit leased gives back its own requests):
    /// a worker beats every 30 s and long-polls for work every 25 s, far below this.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WorkerPerMinute { get; set; } = 1_200;

    /// <summary>Requests per buyer (API key or sign-in) to the buyer API.</summary>
    [Range(1, 1_000_000)]
    public int BuyerApiPerMinute { get; set; } = 600;
}
