namespace FleetMarket.Domain.Protocol;

/// <summary>
/// One work unit handed to one device until <see cref="ExpiresAt"/>. The model and the unit's input
/// slice (an <c>.npz</c> keyed by the model's input names) are blobs fetched by SHA-256.
/// </summary>
public sealed record WorkUnitLease(
    Guid LeaseId,
    Guid WorkUnitId,
    Guid JobId,
    string ModelSha256,
    string InputSha256,
    int RowCount,
    DateTimeOffset ExpiresAt);

/// <summary>The server's answer to a completion: whether the result was taken, and why not.</summary>
public sealed record CompletionResponse(bool Accepted, string? Reason = null);
