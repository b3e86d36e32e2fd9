namespace FleetMarket.Domain.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Assembling,
    Completed,
    Failed,
    Cancelled,
}
