namespace FleetMarket.Domain.Jobs;

public enum WorkUnitStatus
{
    Queued,
    Leased,

    /// <summary>The result is in and accepted: it counts towards the job and is paid.</summary>
    Done,
    Failed,

    /// <summary>The result is in and waits for other owners' devices to agree with it.</summary>
    Checking,

    /// <summary>Verification found the result wrong; it is never paid.</summary>
    Rejected,

    /// <summary>A replica that was no longer needed when its index was decided; it never ran.</summary>
    Dropped,

    /// <summary>
    /// A job's rows not yet cut into units: they wait until the job's first unit has measured what the model costs
    /// per row, then become units sized to the target time. Never leased.
    /// </summary>
    Waiting,
}
