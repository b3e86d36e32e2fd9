namespace FleetMarket.Worker.Configuration;

/// <summary>What pairing leaves behind: which marketplace this device belongs to and its credential.</summary>
public sealed record WorkerSettings(Uri Server, Guid DeviceId, string DeviceName, string Credential);
