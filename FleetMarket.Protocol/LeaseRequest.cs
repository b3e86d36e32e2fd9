using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol;

/// <summary>
/// A request for work. The device's current conditions come along, so any web node can apply the
/// owner's policy without having seen the device's last heartbeat.
/// </summary>
/// <param name="WaitSeconds">
/// How long the server may hold the request open when it has no unit for the device, answering as soon as one
/// comes (long polling): work reaches an idle device at once instead of after its next poll. Null or 0 answers
/// at once, as workers before long polling expect; at most <see cref="MaxWaitSeconds"/>.
/// </param>
/// <param name="MaxUnits">
/// For <see cref="WorkerRoutes.Leases"/>: the most units the device wants in this answer (1 when null). The server may
/// give fewer: no more than the device can finish before its owner's window ends, it must leave, or a reserved hour
/// begins, and no more than it may hold at once. <see cref="WorkerRoutes.Lease"/> always hands out one.
/// </param>
public sealed record LeaseRequest(
    DeviceConditions? Conditions = null,
    [Range(0, LeaseRequest.MaxWaitSeconds)] int? WaitSeconds = null,
    [Range(1, LeaseRequest.MaxUnitsPerRequest)] int? MaxUnits = null)
{
    /// <summary>Below the 30 s and 60 s idle timeouts that proxies and mobile carriers commonly apply.</summary>
    public const int MaxWaitSeconds = 25;

    /// <summary>The most units one batched lease or completion may carry.</summary>
    public const int MaxUnitsPerRequest = 64;
}
