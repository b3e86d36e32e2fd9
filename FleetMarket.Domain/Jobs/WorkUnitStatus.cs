namespace FleetMarket.Domain.Jobs;

public enum WorkUnitStatus
{
    Queued,
    Leased,
    Done,
    Failed,
}
