namespace FleetMarket.Web.Features.Devices;

/// <summary>
/// An owner's devices at a glance, for finance beside a payout: the weakest score among the devices with a record
/// (null when none has one yet) and how many devices are failing.
/// </summary>
public sealed record OwnerReliability(int Devices, double? LowestScore, int FailingDevices)
{
    public static readonly OwnerReliability NoDevices = new(0, null, 0);

    public static OwnerReliability Of(IReadOnlyCollection<DeviceReliability> devices)
    {
        // A device nothing was counted for yet scores one half by smoothing alone; it would pull every new owner's lowest score to 50 %.
        var measured = devices.Where(d => d.HasRecord).ToList();
        return new OwnerReliability(devices.Count, measured.Count == 0 ? null : measured.Min(d => d.Score), devices.Count(d => d.IsFailing));
    }
}
