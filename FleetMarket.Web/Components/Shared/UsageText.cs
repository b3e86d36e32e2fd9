using FleetMarket.Web.Features.Ledger;

namespace FleetMarket.Web.Components.Shared;

/// <summary>How a job's usage reads on a line: its units, inferences and compute time.</summary>
public static class UsageText
{
    public static string Work(JobUsage usage) => Work(usage.Units, usage.Inferences, usage.ComputeMilliseconds);

    public static string Work(int units, long inferences, long computeMilliseconds) =>
        $"{units:N0} {(units == 1 ? "unit" : "units")} · {inferences:N0} {(inferences == 1 ? "inference" : "inferences")} · {Compute(computeMilliseconds)} of compute";

    /// <summary>Compute time as people say it: 850 ms, 7.5 s, 12 min 30 s, 3 h 5 min.</summary>
    public static string Compute(long milliseconds) => TimeSpan.FromMilliseconds(milliseconds) switch
    {
        { TotalSeconds: < 1 } => $"{milliseconds:N0} ms",
        { TotalMinutes: < 1 } t => $"{t.TotalSeconds:0.#} s",
        { TotalHours: < 1 } t => $"{t.Minutes} min {t.Seconds} s",
        var t => $"{(int)t.TotalHours:N0} h {t.Minutes} min",
    };
}
