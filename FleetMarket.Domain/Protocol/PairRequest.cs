namespace FleetMarket.Domain.Protocol;

/// <summary>Sent once by a worker to exchange the portal's one-time pairing code for a device credential.</summary>
public sealed record PairRequest(string Code, string? WorkerVersion = null);

/// <summary>The device credential: sent as <c>Authorization: Bearer {Credential}</c> on every later call.</summary>
public sealed record PairResponse(Guid DeviceId, string DeviceName, string Credential);
