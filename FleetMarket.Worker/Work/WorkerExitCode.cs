namespace FleetMarket.Worker.Work;

/// <summary>The exit code a hosted service decides on, read by <c>run</c> once the host has stopped.</summary>
public sealed class WorkerExitCode
{
    public int Value { get; set; } = ExitCodes.Success;
}
