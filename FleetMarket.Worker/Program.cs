using FleetMarket.Worker.Cli;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker;

/// <summary>
/// The worker's entry point: parse the command line, run the command. Not top-level statements,
/// because the test project also references FleetMarket.Web, whose <c>Program</c> is global.
/// </summary>
public static class WorkerProgram
{
    public static async Task<int> Main(string[] args)
    {
        IWorkerCommand command;
        try
        {
            command = WorkerCommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
            }

            await Console.Error.WriteLineAsync("Run 'FleetMarket.Worker --help' for usage.");
            return ExitCodes.Usage;
        }

        return await command.ExecuteAsync(Console.Out, Console.Error);
    }
}
