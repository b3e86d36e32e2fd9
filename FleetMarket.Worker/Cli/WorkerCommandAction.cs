using System.CommandLine;
using System.CommandLine.Invocation;

namespace FleetMarket.Worker.Cli;

/// <summary>
/// A command's action: makes the <see cref="IWorkerCommand"/> from the parsed values, so that
/// <see cref="WorkerCommandLine.Parse"/> can hand it back to be run, or looked at by tests.
/// </summary>
internal sealed class WorkerCommandAction(Func<ParseResult, IWorkerCommand> bind) : AsynchronousCommandLineAction
{
    public IWorkerCommand Bind(ParseResult result) => bind(result);

    public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return Bind(parseResult).ExecuteAsync(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
    }
}
