using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol;

/// <summary>
/// A request for one unit. The device's current conditions come along, so any web node can apply the
/// owner's policy without having seen the device's last heartbeat.
/// </summary>
/// <param name="WaitSeconds">
/// How long the server may hold the request open when it has no unit for the device, answering as soon as one
/// comes (long polling): work reaches an idle device at once instead of after its next poll. Null or 0 answers
/// at once, as workers before long polling expect; at most <see cref="MaxWaitSeconds"/>.
/// </param>
public sealed record LeaseRequest(DeviceConditions? Conditions = null, [Range(0, LeaseRequest.MaxWaitSeconds)] int? WaitSeconds = null)
{
    /// <summary>Below the 30 s and 60 s idle timeouts that proxies and mobile carriers commonly apply.</summary>
    public const int MaxWaitSeconds = 25;
}
