namespace FleetMarket.Worker.Cli;

/// <summary>The command line is wrong; each error says what to fix.</summary>
public sealed class UsageException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
