using System.CommandLine;

namespace FleetMarket.Worker.Cli;

/// <summary>
/// The worker's command line: its commands, their options and help, on System.CommandLine. <see cref="Parse"/>
/// turns the arguments into a command ready to run, or a <see cref="UsageException"/> listing what is wrong.
/// </summary>
public static class WorkerCommandLine
{
    /// <summary>An argument beginning with '@' is a value, as it always was, not a response file to read.</summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private static readonly RootCommand Root = Build();

    public static IWorkerCommand Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = Root.Parse(args, Parsing);
        return result.Action switch
        {
            // Help before errors: someone asking for it is unsure of the usage (the action clears the other errors).
            WorkerHelpAction => new HelpCommand(result),
            _ when result.Errors.Count > 0 => throw new UsageException(result.Errors.Select(e => e.Message).ToList()),
            WorkerCommandAction action => action.Bind(result),
            _ => throw new InvalidOperationException($"No worker command for '{string.Join(' ', args)}'."),
        };
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("FleetMarket.Worker: lends this device's idle compute to the FleetMarket marketplace.")
        {
            HelpName = "FleetMarket.Worker",
        };

        // The worker's options are its commands' and --help: no --version, no [suggest] directive.
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        root.Directives.Clear();
        WorkerHelpAction.Replace(root);

        root.Subcommands.Add(Pair());
        root.Subcommands.Add(Run());
        root.Subcommands.Add(Benchmark());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Sample());
        root.Subcommands.Add(Help(root));
        return root;
    }

    private static Command Pair()
    {
        var server = WorkerOptionValues.Required(new Option<Uri>("--server")
        {
            Description = "The marketplace's address, as the portal shows it.",
            HelpName = "URL",
            CustomParser = WorkerOptionValues.HttpAddress,
        }, "pair");
        var code = WorkerOptionValues.Required(new Option<string>("--code")
        {
            Description = "The pairing code shown in the portal.",
            HelpName = "CODE",
        }, "pair");
        var command = new Command(
            "pair",
            "Exchange the pairing code shown in the portal for this device's credential, then benchmark the device and report its capabilities to the marketplace.")
        {
            server, code,
        };
        command.Action = new WorkerCommandAction(result => new PairCommand(result.GetRequiredValue(server), result.GetRequiredValue(code).Trim()));
        return command;
    }

    private static Command Run()
    {
        var once = new Option<bool>("--once")
        {
            Description = "Stop, with exit code 0, as soon as the server has no work for this device.",
            Arity = ArgumentArity.Zero,
        };
        var command = new Command("run", "Lease work units and run them until stopped (Ctrl+C or the service manager).") { once };
        command.Action = new WorkerCommandAction(result => new RunCommand(result.GetValue(once)));
        return command;
    }

    private static Command Benchmark() => new(
        "benchmark",
        "Run the reference model on the execution provider the worker would use and print the score in inferences per second. Needs no server.")
    {
        Action = new WorkerCommandAction(_ => new BenchmarkCommand()),
    };

    private static Command Status() => new(
        "status",
        "Show whether this device is paired and with which server, the execution providers ONNX Runtime offers and the one the worker would use.")
    {
        Action = new WorkerCommandAction(_ => new StatusCommand()),
    };

    private static Command Sample()
    {
        var output = WorkerOptionValues.Required(new Option<string>("--out")
        {
            Description = "The folder to write them to.",
            HelpName = "DIR",
        }, "sample");
        var command = new Command("sample", $"Write a sample model (DIR/{SampleCommand.ModelFileName}) and inputs for it (DIR/{SampleCommand.InputsFileName}).") { output };
        command.Action = new WorkerCommandAction(result => new SampleCommand(result.GetRequiredValue(output)));
        return command;
    }

    /// <summary><c>help</c>, whatever follows it, is <c>--help</c>: owners typed it before System.CommandLine, so it stays, unlisted.</summary>
    private static Command Help(RootCommand root) => new("help")
    {
        Hidden = true,
        TreatUnmatchedTokensAsErrors = false,
        Action = new WorkerCommandAction(_ => new HelpCommand(root.Parse(["--help"], Parsing))),
    };
}
