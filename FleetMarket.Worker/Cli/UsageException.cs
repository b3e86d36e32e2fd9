namespace FleetMarket.Worker.Cli;

/// <summary>The command line is wrong; the message says what to fix.</summary>
public sealed class UsageException(string message) : Exception(message);
