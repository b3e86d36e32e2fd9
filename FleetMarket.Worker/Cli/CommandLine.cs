namespace FleetMarket.Worker.Cli;

/// <summary>Turns the arguments into a command. Hand-written: six commands do not warrant a parser package.</summary>
public static class CommandLine
{
    public const string Usage = """
        FleetMarket.Worker: lends this device's idle compute to the FleetMarket marketplace.

        Usage:
          FleetMarket.Worker pair --server URL --code CODE
              Exchange the pairing code shown in the portal for this device's credential,
              then benchmark the device and report its capabilities to the marketplace.
          FleetMarket.Worker run [--once]
              Lease work units and run them until stopped (Ctrl+C or the service manager).
              --once: stop, with exit code 0, as soon as the server has no work for this device.
          FleetMarket.Worker benchmark
              Run the reference model on the execution provider the worker would use and
              print the score in inferences per second. Needs no server.
          FleetMarket.Worker status
              Show whether this device is paired and with which server, the execution
              providers ONNX Runtime offers and the one the worker would use.
          FleetMarket.Worker sample --out DIR
              Write a sample model (DIR/mlp.onnx) and inputs for it (DIR/inputs.npy).
          FleetMarket.Worker --help
              Show this help.

        The credential, the model cache and results not yet acknowledged are kept in
        $FLEETMARKET_WORKER_HOME, by default the user's application data folder
        (~/.config/FleetMarket on Linux), in worker.json, cache/ and pending/.

        Settings, read when the worker starts: keys in worker.json, or environment
        variables, which win. The first four replace what the worker reads from the
        system (on Linux /sys/class/power_supply and thermal zones), for devices that
        report them another way:
          FLEETMARKET_CHARGING=true|false      "charging": on external power
          FLEETMARKET_BATTERY_PERCENT=0-100    "battery_percent"
          FLEETMARKET_TEMPERATURE_C=NUMBER     "temperature_c"
          FLEETMARKET_IDLE=true|false          "idle"
          FLEETMARKET_MODEL_CACHE_MB=NUMBER    "model_cache_mb": model cache size (2048)

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
            "benchmark" => NoOptions(command, rest, new BenchmarkCommand()),
            "status" => NoOptions(command, rest, new StatusCommand()),
            "sample" => new SampleCommand(CommandOptions.Parse(command, rest, ["--out"], []).Required("--out")),
            _ => throw new UsageException($"Unknown command '{command}'."),
        };
    }

    private static IWorkerCommand NoOptions(string command, IReadOnlyList<string> rest, IWorkerCommand parsed)
    {
        CommandOptions.Parse(command, rest, [], []);
        return parsed;
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
