namespace FleetMarket.Worker.Work;

/// <summary>
/// A finished work unit's upload: its outputs (an <c>.npz</c>) and its metering; and, when its lease carried transfer
/// URLs, where the outputs go in object storage before the completion declares them.
/// </summary>
public sealed record PendingCompletion(Guid LeaseId, Guid WorkUnitId, long ComputeMilliseconds, long InferenceCount, byte[] OutputsNpz,
    Uri? OutputsUrl = null);
