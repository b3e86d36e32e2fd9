namespace FleetMarket.Worker.Work;

/// <summary>A finished work unit's upload: its outputs (an <c>.npz</c>) and its metering.</summary>
public sealed record PendingCompletion(Guid LeaseId, Guid WorkUnitId, long ComputeMilliseconds, long InferenceCount, byte[] OutputsNpz);
