namespace FleetMarket.Domain.Jobs;

/// <summary>
/// Which of a buyer's open jobs devices take first; within a priority, the oldest. It orders a buyer's own jobs
/// only: buyers keep their place in the queue, so marking every job high gains nothing over others.
/// </summary>
public enum JobPriority
{
    Low = -1,
    Normal = 0,
    High = 1,
}
