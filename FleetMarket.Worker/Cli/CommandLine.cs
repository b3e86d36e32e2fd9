namespace FleetMarket.Worker.Cli;

/// <summary>Turns the arguments into a command. Hand-written: four commands do not warrant a parser package.</summary>
public static class CommandLine
{
    public const string Usage = """
        FleetMarket.Worker: lends this device's idle compute to the FleetMarket marketplace.

        Usage:
          FleetMarket.Worker pair --server URL --code CODE
              Exchange the pairing code shown in the portal for this device's credential.
          FleetMarket.Worker run [--once]
              Lease work units and run them until stopped (Ctrl+C).
              --once: stop, with exit code 0, as soon as the server has no work for this device.
          FleetMarket.Worker sample --out DIR
              Write a sample model (DIR/mlp.onnx) and inputs for it (DIR/inputs.npy).
          FleetMarket.Worker --help
              Show this help.

        The credential is kept in $FLEETMARKET_WORKER_HOME/worker.json, or by default in the
        user's application data folder (~/.config/FleetMarket on Linux).

        Exit codes: 0 success, 1 failure, 2 wrong usage, 130 interrupted.
        """;

    public static IWorkerCommand Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new UsageException("No command given.");
        }

        var (command, rest) = (args[0], args.Skip(1).ToList());
        if (command is "--help" or "-h" or "help" || rest.Contains("--help") || rest.Contains("-h"))
        {
            return new HelpCommand();
        }

        return command switch
        {
            "pair" => ParsePair(CommandOptions.Parse(command, rest, ["--server", "--code"], [])),
            "run" => new RunCommand(Once: CommandOptions.Parse(command, rest, [], ["--once"]).Has("--once")),
            "sample" => new SampleCommand(CommandOptions.Parse(command, rest, ["--out"], []).Required("--out")),
            _ => throw new UsageException($"Unknown command '{command}'."),
        };
    }

    private static PairCommand ParsePair(CommandOptions options)
    {
        var server = options.Required("--server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--server must be an http:// or https:// address, not '{server}'.");
        }

        return new PairCommand(uri, options.Required("--code").Trim());
    }
}
