namespace FleetMarket.Domain.Jobs;

/// <summary>Which of a buyer's open jobs devices take first; within a priority, the oldest job goes first.</summary>
public enum JobPriority
{
    Low = -1,
    Normal = 0,
    High = 1,
}
