namespace FleetMarket.Domain.Protocol;

/// <summary>
/// A request for one unit. The device's current conditions come along, so any web node can apply the
/// owner's policy without having seen the device's last heartbeat.
/// </summary>
public sealed record LeaseRequest(DeviceConditions? Conditions = null);
