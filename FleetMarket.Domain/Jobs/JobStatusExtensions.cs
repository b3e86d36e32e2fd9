namespace FleetMarket.Domain.Jobs;

public static class JobStatusExtensions
{
    public static bool IsFinished(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
