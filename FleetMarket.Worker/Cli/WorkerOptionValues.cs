using System.CommandLine;
using System.CommandLine.Parsing;

namespace FleetMarket.Worker.Cli;

/// <summary>The checks on option values that System.CommandLine does not make itself, with the worker's messages.</summary>
internal static class WorkerOptionValues
{
    /// <summary><c>--server</c>: the worker talks HTTP, so "localhost:5000" (a URI with scheme "localhost") is a mistake.</summary>
    public static Uri? HttpAddress(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens is [var token] ? token.Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https"))
        {
            return uri;
        }

        // An option name in place of the address is reported by Required, as a missing value.
        if (!IsOptionName(text))
        {
            result.AddError($"--server must be an http:// or https:// address, not '{text}'.");
        }

        return null;
    }

    /// <summary>
    /// A value option's value is there and not blank. System.CommandLine would take <c>--code</c> in
    /// <c>--server --code X</c> as the server; the worker has always said that --server lacks its value.
    /// </summary>
    public static TOption Required<TOption>(TOption option, string command)
        where TOption : Option
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Required = true;
        option.Validators.Add(result =>
        {
            var value = result.Tokens is [var token] ? token.Value : null;
            if (value is not null && IsOptionName(value))
            {
                result.AddError($"Option {option.Name} of '{command}' needs a value.");
            }
            else if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                result.AddError($"Option {option.Name} of '{command}' needs a non-empty value.");
            }
        });
        return option;
    }

    private static bool IsOptionName(string value) => value.StartsWith("--", StringComparison.Ordinal);
}
