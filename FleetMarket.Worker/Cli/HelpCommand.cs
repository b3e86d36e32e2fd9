using System.CommandLine;

namespace FleetMarket.Worker.Cli;

/// <summary><c>--help</c>: System.CommandLine's help for the command asked about, written where the caller says.</summary>
public sealed record HelpCommand(ParseResult Request) : IWorkerCommand
{
    public Task<int> ExecuteAsync(TextWriter output, TextWriter error) =>
        Task.FromResult(Request.Invoke(new InvocationConfiguration { Output = output, Error = error }));
}
