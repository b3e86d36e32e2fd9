namespace FleetMarket.Worker.Cli;

/// <summary>
/// A command's <c>--name value</c>, <c>--name=value</c> and <c>--flag</c> arguments, checked against
/// the options the command knows.
/// </summary>
internal sealed class CommandOptions
{
    private readonly string command;
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    private CommandOptions(string command) => this.command = command;

    public static CommandOptions Parse(string command, IReadOnlyList<string> args, string[] valueOptions, string[] flagOptions)
    {
        var options = new CommandOptions(command);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal)
                ? (n, v)
                : (args[i], (string?)null);
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{args[i]}' for '{command}'.");
            }

            if (flagOptions.Contains(name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"Option {name} of '{command}' takes no value.");
                }

                options.flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new UsageException($"Option {name} of '{command}' needs a value."));
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new UsageException($"Option {name} of '{command}' needs a non-empty value.");
                }

                if (!options.values.TryAdd(name, value))
                {
                    throw new UsageException($"Option {name} is given twice.");
                }
            }
            else
            {
                throw new UsageException($"Unknown option '{name}' for '{command}'.");
            }
        }

        return options;
    }

    public bool Has(string flag) => flags.Contains(flag);

    public string Required(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new UsageException($"'{command}' needs {name}.");
}
