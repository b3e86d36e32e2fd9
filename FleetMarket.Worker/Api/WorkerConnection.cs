namespace FleetMarket.Worker.Api;

/// <summary>Which marketplace the worker talks to, and as whom; no credential before pairing.</summary>
public sealed record WorkerConnection(Uri Server, string? Credential);
