using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Features.FleetHealth;

public sealed class FleetHealthOptions
{
    public const string Section = "FleetHealth";

    /// <summary>How often this node's counters are turned into a point of the charts (rates, latency percentiles).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the fleet's figures (devices online, queues, settlement lag, payouts) are read from the database: the
    /// gauges and the page read the last reading, so a scrape or a page view never costs a query.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FleetQueryInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Points kept for the charts: 120 at 5 s is the last ten minutes.</summary>
    [Range(10, 10_000)]
    public int PointsKept { get; set; } = 120;
}
