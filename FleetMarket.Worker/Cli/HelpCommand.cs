namespace FleetMarket.Worker.Cli;

public sealed record HelpCommand : IWorkerCommand
{
    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        await output.WriteLineAsync(CommandLine.Usage);
        return 0;
    }
}
