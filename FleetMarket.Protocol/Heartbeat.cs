using System.ComponentModel.DataAnnotations;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Protocol;

/// <summary>What the device reports about itself; null where the platform does not expose a value.</summary>
public sealed record DeviceConditions(
    bool IsIdle,
    bool? IsCharging,
    [Range(0, 100)] int? BatteryPercent,
    [Range(WireLimits.MinTemperatureCelsius, WireLimits.MaxTemperatureCelsius)] double? TemperatureCelsius)
{
    /// <summary>Conditions a worker did not send: only the policy's clock rules (windows, departures) apply.</summary>
    public static readonly DeviceConditions Unknown = new(IsIdle: true, IsCharging: null, BatteryPercent: null, TemperatureCelsius: null);
}

public sealed record HeartbeatRequest(DeviceConditions Conditions,
    [MaxLength(WireLimits.ExecutionProvider), PlainText] string ExecutionProvider);

/// <summary>
/// Whether the device may ask for work now, and when to beat next. The owner's policy and the lease length
/// come along so the worker can apply the same rules before it asks (see <c>AvailabilityPolicy.Evaluate</c>).
/// </summary>
public sealed record HeartbeatResponse(
    bool ShouldWork,
    int NextHeartbeatSeconds,
    string? Reason = null,
    Availability.AvailabilityPolicy? Policy = null,
    TimeSpan? LeaseDuration = null);
