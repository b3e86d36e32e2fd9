namespace FleetMarket.Worker.Work;

/// <summary>The worker's process exit codes, for owners' scripts and service managers.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Stopped by a signal before finishing, as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
