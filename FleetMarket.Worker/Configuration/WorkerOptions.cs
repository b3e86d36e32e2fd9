namespace FleetMarket.Worker.Configuration;

/// <summary>How the worker behaves on this device, beyond the pairing in <see cref="WorkerSettings"/>; see <see cref="WorkerConfiguration"/>.</summary>
public sealed record WorkerOptions(string Home)
{
    public const long DefaultModelCacheMegabytes = 2048;

    /// <summary>Below the host's shutdown timeout and systemd's stop timeout, with room left to upload or release.</summary>
    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(20);

    public ConditionOverrides Conditions { get; init; } = new();

    public long ModelCacheMaxBytes { get; init; } = DefaultModelCacheMegabytes * 1024 * 1024;

    /// <summary>How long a unit in hand may go on after a stop is asked for; past it the lease is released.</summary>
    public TimeSpan ShutdownGrace { get; init; } = DefaultShutdownGrace;

    public string ModelCacheDirectory => Path.Combine(Home, "cache", "models");

    public string PendingDirectory => Path.Combine(Home, "pending");
}
