using System.ComponentModel.DataAnnotations;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Protocol;

/// <summary>Sent once by a worker to exchange the portal's one-time pairing code for a device credential.</summary>
public sealed record PairRequest([MaxLength(WireLimits.PairingCode)] string Code,
    [MaxLength(WireLimits.WorkerVersion), PlainText] string? WorkerVersion = null);

/// <summary>The device credential: sent as <c>Authorization: Bearer {Credential}</c> on every later call.</summary>
public sealed record PairResponse(Guid DeviceId, string DeviceName, string Credential);
