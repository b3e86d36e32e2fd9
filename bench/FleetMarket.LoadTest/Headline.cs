using System.Text.Json;

namespace FleetMarket.LoadTest;

/// <summary>
/// The figures issue 14 sets aims for, as one JSON line: single-unit cycles/s and the lease p99, units/s with
/// batched leases and completions, the gated floor's writes/s, and CPU per unit beyond the floor's per request
/// (client and server together: they share the process), all of the first store run (the local folder unless only
/// Azurite was). Then, for issue 17, <c>stores</c>: each store's single and batched runs, with the bytes the web node
/// relayed and read back per unit. Null where the run was not made.
/// </summary>
internal static class Headline
{
    public static string Json(IReadOnlyList<RunResult> runs)
    {
        var floor = runs.LastOrDefault(r => r.Name.StartsWith("floor", StringComparison.Ordinal) && !r.Name.Contains("Cache=Shared", StringComparison.Ordinal));
        var floorCpu = CpuPerCycle(floor);
        var stores = runs.Where(run => run.Store is not null).Select(run => run.Store!.Value).Distinct().ToList();
        Store? first = stores.Count > 0 ? stores[0] : null;
        var dispatch = Single(runs, first);
        var batched = Batched(runs, first);
        return JsonSerializer.Serialize(new
        {
            cyclesPerSecond = Rate(dispatch),
            unitsPerSecond = Rate(batched),
            floorPerSecond = Rate(floor),
            leaseP99Ms = Percentile(dispatch?.Operations.Single(o => o.Name == "lease"), 99),
            cpuMsPerCycleBeyondFloor = Beyond(CpuPerCycle(dispatch), floorCpu),
            cpuMsPerBatchedUnitBeyondFloor = Beyond(CpuPerCycle(batched), floorCpu),
            stores = stores.ToDictionary(
                store => store.ToString().ToLowerInvariant(),
                store => new { single = Figures(Single(runs, store)), batched = Figures(Batched(runs, store)) }),
        });
    }

    private static RunResult? Single(IReadOnlyList<RunResult> runs, Store? store) =>
        runs.FirstOrDefault(r => r.Store == store && r.Name.StartsWith("dispatch", StringComparison.Ordinal));

    private static RunResult? Batched(IReadOnlyList<RunResult> runs, Store? store) =>
        runs.FirstOrDefault(r => r.Store == store && r.Name.StartsWith("batched dispatch", StringComparison.Ordinal));

    /// <summary>One run's figures per unit completed: a cycle of the single run, a unit of the batched one.</summary>
    private static object? Figures(RunResult? run)
    {
        if (run is null)
        {
            return null;
        }

        var lease = run.Operations.First(o => o.Name.StartsWith("lease", StringComparison.Ordinal));
        var complete = run.Operations.First(o => o.Name.StartsWith("complete", StringComparison.Ordinal));
        return new
        {
            unitsPerSecond = Rate(run),
            leaseP50Ms = Percentile(lease, 50),
            leaseP99Ms = Percentile(lease, 99),
            completeP50Ms = Percentile(complete, 50),
            completeP99Ms = Percentile(complete, 99),
            cpuMsPerUnit = CpuPerCycle(run),
            storeCpuMsPerUnit = run.StoreCpu is { } cpu && run.Cycles > 0 ? Math.Round(cpu.TotalMilliseconds / run.Cycles, 3) : (double?)null,
            bytesRelayedPerUnit = PerUnitTaken(run, run.Relayed),
            bytesReadBackPerUnit = PerUnitTaken(run, run.ReadBack),
        };
    }

    /// <summary>Milliseconds; null where the window saw none of the request (JSON has no NaN).</summary>
    private static double? Percentile(OperationStats? operation, double percentile) =>
        operation is null || operation.Requests == 0 ? null : operation.PercentileMilliseconds(percentile);

    /// <summary>Rounded again: the difference of two rounded doubles prints as 14.324000000000002.</summary>
    private static double? Beyond(double? value, double? floor) => value - floor is { } difference ? Math.Round(difference, 3) : null;

    private static double? Rate(RunResult? run) => run is null ? null : Math.Round(run.Cycles / run.Window.TotalSeconds);

    private static double? CpuPerCycle(RunResult? run) =>
        run is null || run.Cycles == 0 ? null : Math.Round(run.Usage.Cpu.TotalMilliseconds / run.Cycles, 3);

    private static double? PerUnitTaken(RunResult run, long bytes) => run.UnitsTaken == 0 ? null : Math.Round(bytes / (double)run.UnitsTaken);
}
