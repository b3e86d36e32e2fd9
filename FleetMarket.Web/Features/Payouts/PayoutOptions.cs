using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>When owners are paid, and what makes finance staff look twice.</summary>
public sealed class PayoutOptions
{
    public const string Section = "Payouts";

    /// <summary>Earnings below this wait for the next run, unless the owner's lease payment is near.</summary>
    [Range(1, 1_000_000_00)]
    public long MinimumPayoutMinor { get; set; } = 20_00;

    /// <summary>A lease payment due within this many days is paid for now, whatever the amount.</summary>
    [Range(1, 28)]
    public int LeaseDueWithinDays { get; set; } = 7;

    /// <summary>Days a payout needs from approval to the owner's bank: it is scheduled to land this long before the due day.</summary>
    [Range(0, 14)]
    public int DaysToLand { get; set; } = 2;

    /// <summary>How far back a payout run looks at an owner's work for anomalies.</summary>
    [Range(1, 365)]
    public int AnomalyLookbackDays { get; set; } = 30;

    [Range(1, 365)]
    public int NewDeviceDays { get; set; } = 14;

    [Range(1, 1_000_000_00)]
    public long NewDeviceEarningsLimitMinor { get; set; } = 100_00;
}
