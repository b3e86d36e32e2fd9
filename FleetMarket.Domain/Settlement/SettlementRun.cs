namespace FleetMarket.Domain.Settlement;

/// <summary>What one run of settle-usage turned into postings: for finance staff to review and reconcile.</summary>
public sealed class SettlementRun
{
    private SettlementRun()
    {
    }

    public SettlementRun(DateTimeOffset startedAt)
    {
        Id = Guid.NewGuid();
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The earliest and latest usage settled: the period the run covers.</summary>
    public DateTimeOffset? PeriodFrom { get; private set; }
    public DateTimeOffset? PeriodTo { get; private set; }
    public int UsageRecords { get; private set; }
    public long ChargedMinor { get; private set; }
    public long FeesMinor { get; private set; }

    public long OwnersMinor => ChargedMinor - FeesMinor;

    public void Add(int usageRecords, long chargedMinor, long feesMinor, DateTimeOffset periodFrom, DateTimeOffset periodTo)
    {
        UsageRecords += usageRecords;
        ChargedMinor += chargedMinor;
        FeesMinor += feesMinor;
        PeriodFrom = PeriodFrom is { } from && from < periodFrom ? from : periodFrom;
        PeriodTo = PeriodTo is { } to && to > periodTo ? to : periodTo;
    }

    public void Finish(DateTimeOffset now) => FinishedAt = now;
}
