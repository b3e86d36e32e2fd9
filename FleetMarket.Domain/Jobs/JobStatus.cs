namespace FleetMarket.Domain.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Assembling,
    Completed,
    Failed,
    Cancelled,

    /// <summary>
    /// Its spending outran its hold and the buyer's balance could not top it up: running units finish, no new unit is
    /// leased until the balance covers a top-up (see <see cref="InferenceJob.PauseReason"/>).
    /// </summary>
    Paused,
}
