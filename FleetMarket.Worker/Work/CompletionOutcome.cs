using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>The server's answer to one uploaded result.</summary>
/// <param name="Refusal">Set when the result itself was refused: sending it again will not help, and its lease should be given back.</param>
public sealed record CompletionOutcome(Guid LeaseId, bool Accepted, string? Reason, WorkerApiException? Refusal = null);
