namespace FleetMarket.Protocol;

/// <summary>The worker protocol's paths, shared by the server that maps them and the worker that calls them.</summary>
public static class WorkerRoutes
{
    public const string Prefix = "/api/worker";
    public const string Pair = Prefix + "/pair";
    public const string Heartbeat = Prefix + "/heartbeat";
    public const string Lease = Prefix + "/lease";
    public const string Leases = Prefix + "/leases";
    public const string CompleteMany = Prefix + "/leases/complete";
    public const string Capabilities = Prefix + "/capabilities";
    public const string ReleaseHeld = Prefix + "/leases/release-held";

    public static string Blob(string sha256) => $"{Prefix}/blobs/{sha256}";
    public static string Complete(Guid leaseId) => $"{Prefix}/leases/{leaseId}/complete";
    public static string Release(Guid leaseId) => $"{Prefix}/leases/{leaseId}/release";
    public static string Renew(Guid leaseId) => $"{Prefix}/leases/{leaseId}/renew";

    /// <summary>Multipart field names of a completion upload.</summary>
    public const string OutputsField = "outputs";
    public const string ComputeMillisecondsField = "computeMilliseconds";
    public const string InferenceCountField = "inferenceCount";

    /// <summary>The JSON part of a batched completion: the <see cref="UnitCompletion"/>s, each with a file part named by its lease id.</summary>
    public const string CompletionsField = "completions";
}
