using System.ComponentModel.DataAnnotations;
using FleetMarket.Domain.Pricing;
using FleetMarket.Protocol;

namespace FleetMarket.Web.Marketplace;

/// <summary>The marketplace's commercial and dispatch settings.</summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Marketplace";

    [Required, StringLength(3, MinimumLength = 3)]
    public string Currency { get; set; } = "USD";

    /// <summary>Platform fee in basis points of each charge (2000 = 20 %).</summary>
    [Range(0, 10_000)]
    public int PlatformFeeBasisPoints { get; set; } = 2000;

    /// <summary>Rows of the probe unit a job of a model the marketplace has not run yet starts with: its cost sizes the rest.</summary>
    [Range(1, 1_000_000)]
    public int DefaultRowsPerUnit { get; set; } = 4;

    /// <summary>How long a unit should take once the model's cost per row is known: long enough that a unit's round trip is small beside it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan UnitTargetDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The highest hourly price a job pays when its buyer names none.</summary>
    [Range(1, UsagePricing.MaxPricePerHourMinor)]
    public long DefaultMaxPricePerHourMinor { get; set; } = 300;

    /// <summary>
    /// How long a lease runs from when it is taken or last renewed. Workers renew while a unit runs, so this is
    /// how long a vanished device keeps its unit from the queue: short, but long enough for a renewal over LTE.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest one unit may run, renewals included: a lease is not renewed past it and no unit is metered for
    /// longer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan MaxUnitDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An on-demand job holds its estimated cost times this, in percent (150 = 1.5×): the estimate is a median cost
    /// per row at the dearest device that may take the job, and devices, inputs and checks vary around it. When the
    /// spending eats half of the margin, the hold is topped up from the buyer's balance to the full margin again.
    /// </summary>
    [Range(100, 1000)]
    public int HoldMarginPercent { get; set; } = 150;

    /// <summary>The least an on-demand job holds, however cheap its estimate: enough for a first unit to be paid in full.</summary>
    [Range(1, UsagePricing.MaxPricePerHourMinor)]
    public long MinimumJobHoldMinor { get; set; } = 10;

    /// <summary>
    /// How often a waiting lease request looks at the database for units this node was not told about (queued by
    /// another node, or whose lease ran out). Each waiting device costs one cheap query per interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan LeasePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most units a device may hold at once, however many it asks for in one batched lease: a device running units
    /// one after another should not keep others' work from idle devices.
    /// </summary>
    [Range(1, LeaseRequest.MaxUnitsPerRequest)]
    public int MaxLeasesPerDevice { get; set; } = 8;

    [Range(5, 3600)]
    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>
    /// How long a job's results may wait for a check with no device of another owner online to run it before the buyer
    /// is offered to accept them unchecked (or to cancel). One owner's devices can never check each other.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CheckWaitLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A device not heard from for this long is shown offline.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pairing attempts one client address may make per minute: codes are short, guessing must be slow.</summary>
    [Range(1, 10_000)]
    public int PairingAttemptsPerMinute { get; set; } = 10;

    [Range(1, 1024L * 1024 * 1024)]
    public long MaxModelBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The most a job's inputs may take, as uploaded and once inflated.</summary>
    [Range(1, 4L * 1024 * 1024 * 1024)]
    public long MaxInputBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>
    /// The most one work unit's outputs may take, as a device uploads them and once inflated; a job whose units'
    /// outputs cannot fit is refused when submitted rather than retried until it fails.
    /// </summary>
    [Range(1, 4L * 1024 * 1024 * 1024)]
    public long MaxOutputBytes { get; set; } = 500L * 1024 * 1024;
}
