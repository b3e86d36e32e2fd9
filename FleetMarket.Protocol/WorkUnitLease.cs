namespace FleetMarket.Protocol;

/// <summary>
/// One work unit handed to one device until <see cref="ExpiresAt"/>. The model and the unit's input
/// slice (an <c>.npz</c> keyed by the model's input names) are blobs fetched by SHA-256.
/// </summary>
/// <param name="LeaseSeconds">
/// How long the lease runs from each renewal (<see cref="WorkerRoutes.Renew"/>): a worker renews well before that
/// while its unit runs, so a device that vanishes gives its unit back within about one lease period. Null from
/// servers before renewal, whose leases ran for the longest a unit could take.
/// </param>
public sealed record WorkUnitLease(
    Guid LeaseId,
    Guid WorkUnitId,
    Guid JobId,
    string ModelSha256,
    string InputSha256,
    int RowCount,
    DateTimeOffset ExpiresAt,
    int? LeaseSeconds = null);

/// <summary>The lease's new expiry after a renewal.</summary>
public sealed record LeaseRenewal(Guid LeaseId, DateTimeOffset ExpiresAt);

/// <summary>The server's answer to a completion: whether the result was taken, and why not.</summary>
public sealed record CompletionResponse(bool Accepted, string? Reason = null);
