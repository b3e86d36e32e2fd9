using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FleetMarket.LoadTest;

/// <summary>A store's job at the end of its runs: zero still queued means the queue ran dry and the figures are low.</summary>
internal sealed record QueueAtEnd(Store Store, int Units, int Queued);

/// <summary>The runs as markdown, ready to paste into docs/benchmarks.md.</summary>
internal static class Report
{
    public static string Markdown(LoadTestOptions options, IReadOnlyList<RunResult> runs, DatabaseBreakdown? database,
        IReadOnlyDictionary<string, IReadOnlyList<string>> plans, IReadOnlyList<QueueAtEnd> queues, string commandLine)
    {
        // Each kind of run on one store beside the same on the other: the floors, then single-unit, then batched.
        runs = [.. runs.OrderBy(run => run.Store is null ? 0 : run.Name.StartsWith("batched", StringComparison.Ordinal) ? 2 : 1)];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Machine()}; {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{options.Devices} simulated devices, {options.Concurrency} requests in flight, {options.Seconds} s measured after {options.WarmupSeconds} s of warm-up.");
        foreach (var queue in queues)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{queue.Store.Label()} store: one job of {queue.Units:N0} one-row units queued at the start, {queue.Queued:N0} still queued at the end.");
        }

        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine(commandLine);
        text.AppendLine("```");
        text.AppendLine();

        text.AppendLine("| operation | requests/s | p50 | p95 | p99 | max | server p50 / p99 / p99.9 / max | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var run in runs)
        {
            foreach (var operation in run.Operations)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Label(run, operation)} | {operation.Requests / run.Window.TotalSeconds:N0} | {Ms(operation.PercentileMilliseconds(50))} | {Ms(operation.PercentileMilliseconds(95))} | {Ms(operation.PercentileMilliseconds(99))} | {Ms(operation.MaxMilliseconds)} | {ServerLatency(operation, run.ServerRoutes)} | {Errors(operation)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("| per run | " + string.Join(" | ", runs.Select(run => run.Name)) + " |");
        text.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")));
        Row(text, runs, "completed requests or cycles/s", run => (run.Cycles / run.Window.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
        Row(text, runs, "CPU, share of all cores", run => run.Usage.CpuShare.ToString("P0", CultureInfo.InvariantCulture));
        Row(text, runs, "CPU per request or cycle (client + server)", run => run.Cycles == 0 ? "—" : Ms(run.Usage.Cpu.TotalMilliseconds / run.Cycles));
        if (runs.Any(run => run.StoreCpu is not null))
        {
            Row(text, runs, "storage emulator's own process: CPU per cycle", run => run.StoreCpu is not { } cpu || run.Cycles == 0 ? "—" : Ms(cpu.TotalMilliseconds / run.Cycles));
        }

        Row(text, runs, "bytes relayed by the web node per unit taken (aim: 0 on object storage)", run => PerUnit(run, run.Relayed));
        Row(text, runs, "bytes read back from storage by the web node per unit taken", run => PerUnit(run, run.ReadBack));
        Row(text, runs, "allocated per request or cycle (client + server)", run => run.Cycles == 0 ? "—" : Kb(run.Usage.Allocated / (double)run.Cycles));
        Row(text, runs, "GCs gen0 / gen1 / gen2; pause share", run =>
            $"{run.Usage.Gen0} / {run.Usage.Gen1} / {run.Usage.Gen2}; {run.Usage.GcPause / run.Usage.Wall:P1}");
        Row(text, runs, "exceptions thrown per second", run => (run.Usage.Exceptions / run.Usage.Wall.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
        Row(text, runs, "lock contentions per second", run => (run.Usage.LockContentions / run.Usage.Wall.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
        Row(text, runs, "thread-pool threads at the end", run => run.Usage.After.Threads.ToString(CultureInfo.InvariantCulture));

        foreach (var dispatch in runs.Where(run => run.Database is not null))
        {
            var rows = dispatch.Database!;
            var total = rows.Where(row => !row.What.StartsWith('(')).Sum(row => row.TotalMilliseconds);
            text.AppendLine();
            var seconds = dispatch.Window.TotalSeconds;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Database time in the {dispatch.Name} run, from EF Core's diagnostics ({total / 1000 / seconds:0.00} s of commands per second of run: they overlap and include waiting for SQLite's locks); per cycle is per unit accepted in a batched run:");
            text.AppendLine();
            text.AppendLine("| what | per second | per cycle | mean | max | ≥ 100 ms | share of command time |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| `{row.What.Replace("|", "\\|", StringComparison.Ordinal)}` | {row.Count / seconds:N0} | {(dispatch.Cycles == 0 ? "—" : (row.Count / (double)dispatch.Cycles).ToString("0.00", CultureInfo.InvariantCulture))} | {Ms(row.MeanMilliseconds)} | {Ms(row.MaxMilliseconds)} | {row.Over100Ms} | {(row.What.StartsWith('(') ? "—" : (row.TotalMilliseconds / total).ToString("P0", CultureInfo.InvariantCulture))} |");
            }

            var statements = rows.Where(row => !row.What.StartsWith('(')).Sum(row => row.Count);
            var writes = rows.Where(row => row.What.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
                || row.What.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
                || row.What.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
                || row.What.StartsWith("WITH", StringComparison.OrdinalIgnoreCase)).Sum(row => row.Count);
            var commits = rows.Where(row => row.What == "(transaction commit)").Sum(row => row.Count);
            if (dispatch.Cycles > 0)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"In all: {statements / (double)dispatch.Cycles:0.00} commands a cycle, {writes / (double)dispatch.Cycles:0.00} of them beginning INSERT, UPDATE, DELETE or WITH, and {commits / (double)dispatch.Cycles:0.00} explicit transaction commits ({statements / seconds:N0} commands/s; lone statements commit on their own).");
            }
        }

        if (database is not null)
        {
            text.AppendLine();
            text.AppendLine("SQLite's plans for those statements:");
            text.AppendLine();
            text.AppendLine("```text");
            foreach (var (what, plan) in plans.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.AppendLine(what);
                plan.ToList().ForEach(step => text.AppendLine("    " + step));
            }

            text.AppendLine("```");
        }

        return text.ToString();
    }

    private static string Label(RunResult run, OperationStats operation) => run.Store is null ? run.Name : $"{run.Name}: {operation.Name}";

    private static string ServerLatency(OperationStats operation, IReadOnlyDictionary<string, ServerLatency> routes) =>
        operation.Route is not { } route || !routes.TryGetValue(route, out var latency) || latency.Count == 0
            ? "—"
            : $"{Ms(latency.P50)} / {Ms(latency.P99)} / {Ms(latency.P999)} / {Ms(latency.Max)} ({latency.Over100Ms:N0} ≥ 100 ms)";

    /// <summary>Bytes per result the server took in the window; the floor moves no blobs.</summary>
    private static string PerUnit(RunResult run, long bytes) =>
        run.Store is null || run.UnitsTaken == 0 ? "—" : (bytes / (double)run.UnitsTaken).ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static string Errors(OperationStats operation) =>
        operation.Errors.Count == 0
            ? "none"
            : string.Join("; ", operation.Errors.OrderByDescending(error => error.Value).Select(error => $"{error.Key}: {error.Value:N0}"));

    private static void Row(StringBuilder text, IReadOnlyList<RunResult> runs, string what, Func<RunResult, string> value) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {string.Join(" | ", runs.Select(value))} |");

    private static string Ms(double milliseconds) => double.IsNaN(milliseconds)
        ? "—"
        : milliseconds < 10
            ? milliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
            : milliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    private static string Kb(double bytes) => (bytes / 1024).ToString("N1", CultureInfo.InvariantCulture) + " KB";

    public static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
            // Not Linux: the OS description below still names the machine.
        }

        return $"{RuntimeInformation.OSDescription}, {cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}";
    }
}
