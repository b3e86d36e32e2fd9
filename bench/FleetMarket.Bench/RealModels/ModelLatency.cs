using System.Diagnostics;
using System.Runtime.InteropServices;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// Issue 14's measurements on real models that npm packages ship (<see cref="ModelCatalog"/>), through the real app and
/// real worker processes, each beside raw ONNX Runtime on the same inputs in the same run (<see cref="RawOrt"/>):
/// <list type="number">
/// <item>submit → outputs downloaded, one idle worker online, against 2 × (session creation + one run) + 1 s;</item>
/// <item>the same with a 2,000-row input and two workers, where the model is cheap enough for this machine;</item>
/// <item>a worker killed mid-unit and restarted at once: restart → job completed, against 10 s;</item>
/// <item>the worker's time per unit against a warm raw ORT loop over the same unit batches, against 1.05×.</item>
/// </list>
/// Every job's outputs are compared byte for byte with raw ORT's; a difference fails the run.
/// </summary>
public static class ModelLatency
{
    /// <summary>Paired and long-polling, as an owner's device is between jobs.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    /// <summary>The per-unit case: units of about this much raw compute, as many as <see cref="PerUnitUnits"/>.</summary>
    private static readonly TimeSpan PerUnitTarget = TimeSpan.FromMilliseconds(500);
    private const int PerUnitUnits = 8;

    /// <summary>Bounds the per-unit case's upload for models that are cheap per byte (image crops).</summary>
    private const long PerUnitMaxInputBytes = 128L * 1024 * 1024;

    /// <summary>The kill case: units of about this much raw compute; the worker dies halfway through the second.</summary>
    private static readonly TimeSpan KillUnitTarget = TimeSpan.FromSeconds(2);
    private const int KillUnits = 3;

    private sealed record LatencyResult(RealModel Model, int Rows, int Workers, List<TimeSpan> Took, List<TimeSpan> Floors, List<string> Units, string Outputs)
    {
        public List<string> Breakdowns { get; } = [];

        public TimeSpan Median => ModelLatency.Median(Took);

        public TimeSpan Floor => ModelLatency.Median(Floors);

        public TimeSpan Aim => (2 * Floor) + TimeSpan.FromSeconds(1);
    }

    /// <summary>Medians over the units: raw ORT, the worker's runner in this process, the worker's run as it reported it, and the server's lease → acceptance.</summary>
    private sealed record PerUnitResult(RealModel Model, int Units, int RowsPerUnit, TimeSpan Raw, TimeSpan Runner, TimeSpan Compute, TimeSpan LeaseToCompletion)
    {
        public double RunnerRatio => Runner / Raw;

        public double ComputeRatio => Compute / Raw;

        public double Ratio => LeaseToCompletion / Raw;
    }

    private sealed record KillResult(RealModel Model, int Units, int RowsPerUnit, int DoneAtKill, TimeSpan UnitRaw, TimeSpan RestartToCompleted,
        TimeSpan RestartToLeased, TimeSpan ComputeLeft);

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(3);
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var floorsOnly = args.Contains("--floors-only");
        var models = ModelCatalog.All.Where(m => only is null || m.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        await ModelPackages.EnsureInstalledAsync(models);
        Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {Environment.ProcessorCount} cores, {rounds} round(s) a case; {LoadAverage()}");

        var latency = new List<LatencyResult>();
        var perUnit = new List<PerUnitResult>();
        var kills = new List<KillResult>();
        var shipped = new List<(RealModel Model, string Outcome)>();
        foreach (var model in models)
        {
            var submitted = model.Submitted(ModelPackages.Root);
            if (model.Adapt is not null)
            {
                CheckAdaptation(model, model.Original(ModelPackages.Root), submitted);
            }

            var outputNames = RawOrt.OutputNames(submitted);
            var costPerRow = WarmCostPerRow(model, submitted);
            Console.WriteLine($"{model.Name}: {model.Package}@{model.Version} {model.File}, {submitted.Length:N0} bytes submitted; "
                              + $"warm raw ORT {costPerRow.TotalMilliseconds:F3} ms a row, {InputBytesPerRow(model):N0} input bytes a row");
            if (floorsOnly)
            {
                foreach (var rows in new[] { model.Rows, model.BigRows }.OfType<int>())
                {
                    Console.WriteLine($"  floor, {rows:N0} rows: {RawOrt.SessionAndRun(submitted, model.Inputs(rows)).Took.TotalMilliseconds:F0} ms");
                }

                continue;
            }

            await using var market = await BenchMarket.StartAsync();
            var first = await market.PairWorkerAsync();
            var second = model.BigRows is null ? null : await market.PairWorkerAsync();
            first.Start();
            await Task.Delay(Idle);
            latency.Add(await LatencyAsync(market, model, submitted, outputNames, model.Rows, workers: 1, rounds));
            perUnit.Add(await PerUnitAsync(market, model, submitted, outputNames, costPerRow));
            if (model.KillRestart)
            {
                kills.Add(await KillRestartAsync(market, first, model, submitted, outputNames, costPerRow));
            }

            if (model.Adapt is not null)
            {
                shipped.Add((model, await AsShippedAsync(market, first, model)));
            }

            if (second is not null && model.BigRows is { } bigRows)
            {
                second.Start();
                await Task.Delay(Idle);
                latency.Add(await LatencyAsync(market, model, submitted, outputNames, bigRows, workers: 2, rounds));
            }
        }

        if (!floorsOnly)
        {
            PrintSummary(latency, perUnit, kills, shipped);
            Console.WriteLine();
            Console.WriteLine($"at the end: {LoadAverage()}");
        }

        return 0;
    }

    private static async Task<LatencyResult> LatencyAsync(BenchMarket market, RealModel model, byte[] submitted, IReadOnlyList<string> outputNames,
        int rows, int workers, int rounds)
    {
        var inputs = model.Inputs(rows);
        var npz = Npz.ToBytes(inputs);
        var result = new LatencyResult(model, rows, workers, [], [], [], "");
        var exactness = new List<string>();
        for (var round = 1; round <= rounds; round++)
        {
            var (took, id, outputs, startedAt) = await market.RunJobAsync(submitted, npz, outputNames, rowsPerUnit: null, $"{model.Name}, {rows} rows, round {round}");
            var units = await market.UnitsAsync(id);
            result.Breakdowns.Add(await market.BreakdownAsync(id, startedAt, took));
            var (floor, expected) = RawOrt.SessionAndRun(submitted, inputs);
            exactness.Add(CheckExact(outputs, expected, submitted, inputs, units));
            result.Took.Add(took);
            result.Floors.Add(floor);
            result.Units.Add(DescribeUnits(units));
            Console.WriteLine($"  {model.Name}, {rows:N0} rows, {workers} worker(s), round {round}: {took.TotalSeconds:F2} s "
                              + $"(units: {result.Units[^1]}); floor {floor.TotalMilliseconds:F0} ms; outputs {exactness[^1]}");
            Console.WriteLine($"    where it went (s): {result.Breakdowns[^1]}");
        }

        return result with { Outputs = string.Join("; ", exactness.Distinct()) };
    }

    private static async Task<PerUnitResult> PerUnitAsync(BenchMarket market, RealModel model, byte[] submitted, IReadOnlyList<string> outputNames,
        TimeSpan costPerRow)
    {
        var rowsPerUnit = (int)Math.Clamp(PerUnitTarget / costPerRow, 1, PerUnitMaxInputBytes / PerUnitUnits / InputBytesPerRow(model));
        var inputs = model.Inputs(rowsPerUnit * PerUnitUnits);
        var (_, id, outputs, _) = await market.RunJobAsync(submitted, Npz.ToBytes(inputs), outputNames, rowsPerUnit,
            $"{model.Name}, per unit");
        var units = await market.UnitsAsync(id);
        var batches = units.Select(u => RawOrt.Slice(inputs, u.RowStart, u.RowCount)).ToList();
        var raw = RawOrt.Loop(submitted, batches);
        CheckSame(outputs, Join(raw.Select(r => r.Outputs).ToList()), "the same units run raw");
        var (rawBeside, runner) = RawOrt.RawBesideRunner(submitted, batches, passes: 3);
        var result = new PerUnitResult(model, units.Count, rowsPerUnit, Median(rawBeside), Median(runner),
            Median(units.Select(u => TimeSpan.FromMilliseconds(u.ComputeMilliseconds))), Median(units.Select(u => u.LeaseToCompletion)));
        Console.WriteLine($"  {model.Name}, per unit: {units.Count} × {rowsPerUnit} rows, medians: raw {Ms(result.Raw)}, worker's runner here {Ms(result.Runner)} "
                          + $"({result.RunnerRatio:F2}×), worker's run as reported {Ms(result.Compute)} ({result.ComputeRatio:F2}×), lease → accepted {Ms(result.LeaseToCompletion)} ({result.Ratio:F2}×)");
        Console.WriteLine($"    each unit, raw / runner here / worker's run / lease → accepted (ms): "
                          + string.Join(", ", units.Select((u, i) => $"{rawBeside[i].TotalMilliseconds:F0}/{runner[i].TotalMilliseconds:F0}/{u.ComputeMilliseconds}/{u.LeaseToCompletion.TotalMilliseconds:F0}")));
        return result;
    }

    private static async Task<KillResult> KillRestartAsync(BenchMarket market, BenchWorker worker, RealModel model, byte[] submitted,
        IReadOnlyList<string> outputNames, TimeSpan costPerRow)
    {
        var (rowsPerUnit, unitRaw) = RowsTaking(model, submitted, KillUnitTarget, costPerRow);
        var inputs = model.Inputs(rowsPerUnit * KillUnits);
        var id = await market.SubmitAsync(submitted, Npz.ToBytes(inputs), rowsPerUnit, $"{model.Name}, killed mid-unit");

        // Halfway through a unit after the first: the worker is busy computing, its lease is live.
        var done = 0;
        await Eventually.TrueAsync(async () =>
        {
            done = await market.DoneCountAsync(id);
            return done >= 1 && (await market.LeasedSinceAsync(id)) is [var since, ..] && DateTimeOffset.UtcNow - since >= unitRaw / 2;
        }, TimeSpan.FromMinutes(3), "a unit after the first to be halfway through");
        await worker.KillAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        worker.Start();
        await market.WaitCompletedAsync(id, TimeSpan.FromMinutes(3));
        var restartToCompleted = clock.Elapsed;

        var outputs = await market.DownloadAsync(id, outputNames);
        var units = await market.UnitsAsync(id);
        var raw = RawOrt.Loop(submitted, units.Select(u => RawOrt.Slice(inputs, u.RowStart, u.RowCount)).ToList());
        CheckSame(outputs, Join(raw.Select(r => r.Outputs).ToList()), "the same units run raw");
        var afterRestart = units.Where(u => u.LeasedAt >= restartedAt).ToList();
        var result = new KillResult(model, units.Count, rowsPerUnit, done, unitRaw, restartToCompleted,
            afterRestart.Count == 0 ? TimeSpan.Zero : afterRestart.Min(u => u.LeasedAt) - restartedAt,
            Sum(raw.Where((_, i) => units[i].LeasedAt >= restartedAt).Select(r => r.Took)));
        Console.WriteLine($"  {model.Name}, killed with {done} of {units.Count} units done: restart → completed {restartToCompleted.TotalSeconds:F2} s, "
                          + $"restart → unit leased again {result.RestartToLeased.TotalSeconds:F2} s, raw compute left {result.ComputeLeft.TotalSeconds:F2} s");
        var completedAt = (await market.JobAsync(id)).GetProperty("completedAt").GetDateTimeOffset();
        Console.WriteLine($"    after the restart (s): "
                          + string.Join(", ", units.Select(u => $"unit {u.Index} leased {Since(u.LeasedAt)}, accepted {Since(u.CompletedAt)} (run {u.ComputeMilliseconds} ms)"))
                          + $"; job completed {Since(completedAt)}");

        string Since(DateTimeOffset at) => $"{(at - restartedAt).TotalSeconds:+0.00;-0.00}";
        return result;
    }

    /// <summary>
    /// What the app makes of the package's model as shipped, with a small multi-row input: it is why the benchmark
    /// adapts the layout. The job is cancelled afterwards so that it cannot hold the worker.
    /// </summary>
    private static async Task<string> AsShippedAsync(BenchMarket market, BenchWorker worker, RealModel model)
    {
        const int rows = 8;
        var inputs = model.Inputs(rows).ToDictionary();
        inputs["state"] = SwapFirstAxes(inputs[BatchFirstState.RowsStateInput]);
        inputs.Remove(BatchFirstState.RowsStateInput);
        var (id, refusal) = await market.SubmitAsync(model.Original(ModelPackages.Root), Npz.ToBytes(inputs), rowsPerUnit: null,
            $"{model.Name} as shipped", throwIfRefused: false);
        if (id is not { } jobId)
        {
            return $"refused at submission: {refusal}";
        }

        var clock = Stopwatch.StartNew();
        var job = await market.JobAsync(jobId);
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && BenchMarket.StatusOf(job) is not ("Completed" or "Failed"))
        {
            await Task.Delay(250);
            job = await market.JobAsync(jobId);
        }

        var status = BenchMarket.StatusOf(job);
        if (status is not ("Completed" or "Failed"))
        {
            await market.CancelAsync(jobId);
        }

        return $"accepted at submission; after {clock.Elapsed.TotalSeconds:F0} s the job is {status} "
               + $"({job.GetProperty("done")} of {job.GetProperty("units")} units done, {job.GetProperty("failed")} failed; then cancelled). "
               + $"Units: {string.Join(" | ", await market.UnitFailuresAsync(jobId))}. The worker: {worker.FirstLogEntry("Giving back lease") ?? "(nothing logged)"}";
    }

    /// <summary>Silero's adapted layout must compute what the package's model computes: the same floats, transposed.</summary>
    private static void CheckAdaptation(RealModel model, byte[] original, byte[] adapted)
    {
        const int rows = 8;
        var inputs = model.Inputs(rows);
        var state = inputs[BatchFirstState.RowsStateInput];
        var originalInputs = inputs.Where(pair => pair.Key != BatchFirstState.RowsStateInput).ToDictionary();
        originalInputs["state"] = SwapFirstAxes(state);
        var (_, expected) = RawOrt.SessionAndRun(original, originalInputs);
        var (_, got) = RawOrt.SessionAndRun(adapted, inputs);
        var translated = new Dictionary<string, NpyArray>
        {
            ["output"] = expected["output"],
            [BatchFirstState.RowsStateOutput] = SwapFirstAxes(expected["stateN"]),
        };
        CheckSame(got, translated, $"the package's own {Path.GetFileName(model.File)} (state transposed)");
    }

    private static string CheckExact(IReadOnlyDictionary<string, NpyArray> outputs, IReadOnlyDictionary<string, NpyArray> floor, byte[] model,
        IReadOnlyDictionary<string, NpyArray> inputs, List<UnitTiming> units)
    {
        if (Differences(outputs, floor) is null)
        {
            return "bit-exact";
        }

        // ORT may pick other kernels or blockings for another batch size; the product promises the units' results exactly.
        var raw = RawOrt.Loop(model, units.Select(u => RawOrt.Slice(inputs, u.RowStart, u.RowCount)).ToList());
        CheckSame(outputs, Join(raw.Select(r => r.Outputs).ToList()), "the same units run raw");
        return $"bit-exact with the same units run raw; the one-batch floor run differs ({Differences(outputs, floor)})";
    }

    private static void CheckSame(IReadOnlyDictionary<string, NpyArray> got, IReadOnlyDictionary<string, NpyArray> expected, string what)
    {
        if (Differences(got, expected) is { } differences)
        {
            throw new InvalidOperationException($"OUTPUTS DIFFER from {what}: {differences}");
        }
    }

    private static string? Differences(IReadOnlyDictionary<string, NpyArray> got, IReadOnlyDictionary<string, NpyArray> expected)
    {
        if (!got.Keys.Order().SequenceEqual(expected.Keys.Order()))
        {
            return $"outputs [{string.Join(", ", got.Keys)}], expected [{string.Join(", ", expected.Keys)}]";
        }

        var differences = new List<string>();
        foreach (var (name, want) in expected)
        {
            var have = got[name];
            if (have.DType != want.DType || !have.Shape.SequenceEqual(want.Shape))
            {
                differences.Add($"'{name}' is {have}, expected {want}");
            }
            else if (!have.Data.AsSpan().SequenceEqual(want.Data))
            {
                differences.Add(want.DType == NpyDType.Float32
                    ? FloatDifferences(name, MemoryMarshal.Cast<byte, float>(have.Data), MemoryMarshal.Cast<byte, float>(want.Data))
                    : $"'{name}' differs");
            }
        }

        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private static string FloatDifferences(string name, ReadOnlySpan<float> have, ReadOnlySpan<float> want)
    {
        var count = 0;
        var largest = 0f;
        for (var i = 0; i < want.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(have[i]) != BitConverter.SingleToInt32Bits(want[i]))
            {
                count++;
                largest = Math.Max(largest, Math.Abs(have[i] - want[i]));
            }
        }

        return $"'{name}': {count:N0} of {want.Length:N0} values, largest |Δ| {largest:G3}";
    }

    private static OrderedDictionary<string, NpyArray> Join(List<IReadOnlyDictionary<string, NpyArray>> perUnit)
    {
        var joined = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var name in perUnit[0].Keys)
        {
            joined.Add(name, NpyArray.ConcatRows(perUnit.Select(unit => unit[name]).ToList()));
        }

        return joined;
    }

    /// <summary>[2, rows, width] ↔ [rows, 2, width].</summary>
    private static NpyArray SwapFirstAxes(NpyArray array)
    {
        var (a, b, width) = (array.Shape[0], array.Shape[1], array.Shape[2]);
        var from = MemoryMarshal.Cast<byte, float>(array.Data);
        var to = new float[from.Length];
        for (var i = 0; i < a; i++)
        {
            for (var j = 0; j < b; j++)
            {
                from.Slice(((i * b) + j) * width, width).CopyTo(to.AsSpan(((j * a) + i) * width, width));
            }
        }

        return new NpyArray(NpyDType.Float32, [b, a, width], MemoryMarshal.AsBytes(to.AsSpan()).ToArray());
    }

    /// <summary>
    /// What a row costs a warm session: the fastest of three runs (load from elsewhere only ever adds), over enough rows
    /// to take a tenth of a second at least. It sizes the per-unit and kill cases' units.
    /// </summary>
    /// <summary>
    /// A unit of about <paramref name="target"/> of warm raw compute, measured at that size: a model's cost per row is not
    /// linear in the rows (the detector's is 4.9 ms a row at 64 rows and 22 ms at 410, cold), so a unit sized from a
    /// small batch's cost per row ran four times its target, raw as in the worker.
    /// </summary>
    private static (int Rows, TimeSpan Raw) RowsTaking(RealModel model, byte[] submitted, TimeSpan target, TimeSpan costPerRow)
    {
        var rows = (int)Math.Max(1, target / costPerRow);
        while (true)
        {
            var inputs = model.Inputs(rows);
            var took = RawOrt.Loop(submitted, [inputs, inputs, inputs]).Min(run => run.Took);
            if (took <= target * 1.2 || rows == 1)
            {
                return (rows, took);
            }

            rows = (int)Math.Max(1, rows * 0.8 * (target / took));
        }
    }

    private static TimeSpan WarmCostPerRow(RealModel model, byte[] submitted)
    {
        var rows = model.Rows;
        while (true)
        {
            var inputs = model.Inputs(rows);
            var fastest = RawOrt.Loop(submitted, [inputs, inputs, inputs]).Min(run => run.Took);
            if (fastest >= TimeSpan.FromMilliseconds(100) || rows >= 100_000)
            {
                return fastest / rows;
            }

            rows *= 8;
        }
    }

    private static long InputBytesPerRow(RealModel model) => model.Inputs(1).Values.Where(a => a.Shape.Length > 0).Sum(a => a.Data.LongLength);

    private static string DescribeUnits(List<UnitTiming> units) =>
        string.Join(" + ", units.GroupBy(u => u.RowCount).Select(g => $"{g.Count()} × {g.Key}"));

    private static void PrintSummary(List<LatencyResult> latency, List<PerUnitResult> perUnit, List<KillResult> kills,
        List<(RealModel Model, string Outcome)> shipped)
    {
        Console.WriteLine();
        Console.WriteLine("| model | rows | workers | units (count × rows), each round | submit → outputs, median (each round) | raw ORT floor | aim: 2 × floor + 1 s | | outputs |");
        Console.WriteLine("|---|---:|---:|---|---|---:|---:|---|---|");
        foreach (var r in latency)
        {
            Console.WriteLine($"| {r.Model.Name} | {r.Rows:N0} | {r.Workers} | {string.Join("; ", r.Units)} | {r.Median.TotalSeconds:F2} s "
                              + $"({string.Join(", ", r.Took.Select(t => t.TotalSeconds.ToString("F2")))}) | {r.Floor.TotalMilliseconds:N0} ms | "
                              + $"{r.Aim.TotalSeconds:F2} s | {(r.Median <= r.Aim ? "met" : "**missed**")} | {r.Outputs} |");
        }

        Console.WriteLine();
        Console.WriteLine("Where the median round's time went (s):");
        foreach (var r in latency)
        {
            Console.WriteLine($"- {r.Model.Name}, {r.Rows:N0} rows, {r.Workers} worker(s): {r.Breakdowns[r.Took.IndexOf(r.Median) is >= 0 and var i ? i : 0]}");
        }

        Console.WriteLine();
        Console.WriteLine("| model | units × rows | raw ORT loop | worker's runner, in the bench process | ratio | worker's run, as the worker reports it | ratio | lease → accepted, server clock | ratio | aim ≤ 1.05× |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in perUnit)
        {
            Console.WriteLine($"| {r.Model.Name} | {r.Units} × {r.RowsPerUnit:N0} | {Ms(r.Raw)} | {Ms(r.Runner)} | {r.RunnerRatio:F2} | {Ms(r.Compute)} | {r.ComputeRatio:F2} | "
                              + $"{Ms(r.LeaseToCompletion)} | {r.Ratio:F2} | {(r.Ratio <= 1.05 ? "met" : "**missed**")} |");
        }

        Console.WriteLine();
        Console.WriteLine("| model | units × rows (raw per unit) | done when killed | restart → job completed | restart → unit leased again | raw compute left | aim ≤ 10 s |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var r in kills)
        {
            Console.WriteLine($"| {r.Model.Name} | {r.Units} × {r.RowsPerUnit} ({r.UnitRaw.TotalSeconds:F2} s) | {r.DoneAtKill} | {r.RestartToCompleted.TotalSeconds:F2} s | "
                              + $"{r.RestartToLeased.TotalSeconds:F2} s | {r.ComputeLeft.TotalSeconds:F2} s | {(r.RestartToCompleted <= TimeSpan.FromSeconds(10) ? "met" : "**missed**")} |");
        }

        foreach (var (model, outcome) in shipped)
        {
            Console.WriteLine();
            Console.WriteLine($"{model.Name} as the package ships it (not adapted), 8 rows: {outcome}");
        }
    }

    /// <summary>Other work on the machine inflates every figure here, the floors included: say how much there was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"load average (1, 5, 15 min) {string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "load average unknown";

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:N0} ms";

    private static TimeSpan Sum(IEnumerable<TimeSpan> values) => values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    internal static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
