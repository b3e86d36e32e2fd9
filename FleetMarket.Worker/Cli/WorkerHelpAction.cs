using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace FleetMarket.Worker.Cli;

/// <summary>
/// <c>--help</c>: System.CommandLine's help, then, on the worker's own help, where the worker keeps its files,
/// the settings it reads and its exit codes. A command's help is about that command only.
/// </summary>
internal sealed class WorkerHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public const string Footer = """
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

    /// <summary>As the standard help: someone asking for help is unsure of the usage, so mistakes elsewhere on the line wait.</summary>
    public override bool ClearsParseErrors => true;

    /// <summary>Puts this action in place of the root's standard help, which every command inherits.</summary>
    public static void Replace(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new WorkerHelpAction((HelpAction)option.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exitCode = standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Footer);
        }

        return exitCode;
    }
}
