namespace FleetMarket.Worker.Cli;

/// <summary>One parsed command line, ready to run; returns the process exit code.</summary>
public interface IWorkerCommand
{
    Task<int> ExecuteAsync(TextWriter output, TextWriter error);
}
