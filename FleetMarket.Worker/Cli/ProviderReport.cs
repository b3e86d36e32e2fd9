using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Cli;

/// <summary>The execution-provider lines that <c>benchmark</c> and <c>status</c> both print, and their layout.</summary>
internal static class ProviderReport
{
    public static async Task WriteAsync(TextWriter output, ExecutionProviderSelector providers)
    {
        await output.WriteLineAsync(Line("Execution providers available", string.Join(", ", providers.AvailableProviders)));
        await output.WriteLineAsync(Line("Execution provider used", providers.ProviderName));
        foreach (var failure in providers.Failures)
        {
            await output.WriteLineAsync(Line("Passed over", failure));
        }
    }

    /// <summary>One "label: value" line, values aligned.</summary>
    public static string Line(string label, string value) => $"{label + ":",-31}{value}";
}
