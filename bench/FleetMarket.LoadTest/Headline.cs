using System.Text.Json;

namespace FleetMarket.LoadTest;

/// <summary>
/// The figures issue 14 sets aims for, as one JSON line: single-unit cycles/s and the lease p99, units/s with
/// batched leases and completions, the gated floor's writes/s, and CPU per unit beyond the floor's per request
/// (client and server together: they share the process). Null where the run was not made.
/// </summary>
internal static class Headline
{
    public static string Json(IReadOnlyList<RunResult> runs)
    {
        var dispatch = runs.FirstOrDefault(r => r.Name == "dispatch");
        var batched = runs.FirstOrDefault(r => r.Name.StartsWith("batched dispatch", StringComparison.Ordinal));
        var floor = runs.LastOrDefault(r => r.Name.StartsWith("floor", StringComparison.Ordinal) && !r.Name.Contains("Cache=Shared", StringComparison.Ordinal));
        var floorCpu = CpuPerCycle(floor);
        return JsonSerializer.Serialize(new
        {
            cyclesPerSecond = Rate(dispatch),
            unitsPerSecond = Rate(batched),
            floorPerSecond = Rate(floor),
            leaseP99Ms = dispatch?.Operations.Single(o => o.Name == "lease").PercentileMilliseconds(99),
            cpuMsPerCycleBeyondFloor = CpuPerCycle(dispatch) - floorCpu,
            cpuMsPerBatchedUnitBeyondFloor = CpuPerCycle(batched) - floorCpu,
        });
    }

    private static double? Rate(RunResult? run) => run is null ? null : Math.Round(run.Cycles / run.Window.TotalSeconds);

    private static double? CpuPerCycle(RunResult? run) =>
        run is null || run.Cycles == 0 ? null : Math.Round(run.Usage.Cpu.TotalMilliseconds / run.Cycles, 3);
}
