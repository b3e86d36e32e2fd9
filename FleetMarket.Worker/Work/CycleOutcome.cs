namespace FleetMarket.Worker.Work;

public enum CycleResult
{
    /// <summary>A work unit was run and its outputs uploaded.</summary>
    Worked,

    /// <summary>The device may work, but the server has no unit for it.</summary>
    NoWork,

    /// <summary>The server asks the device not to work now (conditions, availability policy).</summary>
    NotAllowed,
}

/// <summary>What one <see cref="WorkCycle"/> step did, and how long to wait before the next.</summary>
public sealed record CycleOutcome(CycleResult Result, TimeSpan Wait, string? Reason = null)
{
    public static readonly CycleOutcome Worked = new(CycleResult.Worked, TimeSpan.Zero);
}
