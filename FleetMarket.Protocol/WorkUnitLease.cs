using System.Text.Json.Serialization;

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
/// <param name="Transfer">
/// Direct URLs for the model, the input and the outputs, when blobs are in object storage; null when the web node
/// relays them (<see cref="WorkerRoutes.Blob"/>, outputs in the completion).
/// </param>
public sealed record WorkUnitLease(
    Guid LeaseId,
    Guid WorkUnitId,
    Guid JobId,
    string ModelSha256,
    string InputSha256,
    int RowCount,
    DateTimeOffset ExpiresAt,
    int? LeaseSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BlobTransfer? Transfer = null);

/// <summary>The lease's new expiry after a renewal, and fresh transfer URLs when the lease has them.</summary>
public sealed record LeaseRenewal(Guid LeaseId, DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BlobTransfer? Transfer = null);

/// <summary>The server's answer to a completion: whether the result was taken, and why not.</summary>
public sealed record CompletionResponse(bool Accepted, string? Reason = null);

/// <summary>The units handed out by one batched lease, in the order the device should run them; empty when there is none.</summary>
public sealed record LeaseBatch(IReadOnlyList<WorkUnitLease> Leases);

/// <summary>
/// One result of a batched completion; its outputs travel as the file part named by <see cref="LeaseId"/>, or were
/// uploaded directly (<see cref="Uploaded"/>, and then there is no file part).
/// </summary>
public sealed record UnitCompletion(Guid LeaseId, long ComputeMilliseconds, long InferenceCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UploadedOutputs? Uploaded = null);

/// <summary>The server's answer to each result of a batched completion, judged on its own, in the order they were sent.</summary>
public sealed record BatchCompletionResponse(IReadOnlyList<LeaseCompletionResponse> Results);

/// <param name="Accepted">As <see cref="CompletionResponse.Accepted"/>: the result was taken, or had been already.</param>
/// <param name="Refused">
/// The result itself was refused (outputs of the wrong shape, a lease not the device's), as a single completion would
/// be with a 4xx: the lease is unchanged, and sending the same result again will not help.
/// </param>
public sealed record LeaseCompletionResponse(Guid LeaseId, bool Accepted, string? Reason = null, bool Refused = false);
