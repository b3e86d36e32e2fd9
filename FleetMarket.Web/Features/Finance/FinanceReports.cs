using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Finance;

/// <summary>
/// A settlement run's totals. A run records them without a currency: it settles usage in the marketplace's one
/// currency, which is the currency they are read in.
/// </summary>
public sealed record SettlementRunRow(Guid Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? PeriodFrom,
    DateTimeOffset? PeriodTo, int UsageRecords, Money Charged, Money Fees)
{
    public Money Owners => Charged - Fees;
}

public sealed record SettlementRunPage(IReadOnlyList<SettlementRunRow> Rows, int Total);

public enum RevenueInterval
{
    Day,
    Week,
}

/// <summary>The platform's fees in one day or week (from <see cref="From"/>, UTC), net of fees taken back by reversals.</summary>
public sealed record RevenuePoint(DateOnly From, Money Fees);

public sealed record RevenueSeries(RevenueInterval Interval, string Currency, IReadOnlyList<RevenuePoint> Points)
{
    public Money Total => Points.Select(p => p.Fees).Sum(Currency);
}

/// <summary>What the finance dashboard shows at a glance.</summary>
public sealed record FinanceSummary(int PendingReview, int Held, int Approved, int Flagged, Money AwaitingReview,
    int UnresolvedDifferences, DateTimeOffset? LastSettlementAt);

/// <summary>Read-only figures for finance staff: settlement runs, platform revenue, the dashboard's counts.</summary>
public sealed class FinanceReports(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    public const int DaysShown = 30;
    public const int WeeksShown = 12;

    public async Task<SettlementRunPage> SettlementRunsAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var runs = db.SettlementRuns.AsNoTracking();
        var rows = await runs.OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(r => new SettlementRunRow(r.Id, r.StartedAt, r.FinishedAt, r.PeriodFrom, r.PeriodTo, r.UsageRecords,
                new Money(r.ChargedMinor, currency), new Money(r.FeesMinor, currency)))
            .ToListAsync(cancellationToken);
        return new SettlementRunPage(rows, await runs.CountAsync(cancellationToken));
    }

    /// <summary>
    /// Fees per day (the last 30) or per week (the last 12, from Mondays), from the platform's fee postings. One sum per
    /// period in the database: periods are few, fee postings are one per settled unit.
    /// </summary>
    public async Task<RevenueSeries> RevenueAsync(RevenueInterval interval, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (count, days, last) = interval == RevenueInterval.Day
            ? (DaysShown, 1, today)
            : (WeeksShown, 7, today.AddDays(-(((int)today.DayOfWeek + 6) % 7)));
        var fees = db.Postings.Where(p => p.Account == LedgerAccounts.PlatformFees && p.Currency == currency)
            .Join(db.LedgerTransactions, p => p.TransactionId, t => t.Id, (p, t) => new { p.AmountMinor, t.CreatedAt });

        var points = new List<RevenuePoint>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            var from = last.AddDays(-i * days);
            var (start, end) = (Utc(from), Utc(from.AddDays(days)));
            points.Add(new RevenuePoint(from,
                new Money(await fees.Where(f => f.CreatedAt >= start && f.CreatedAt < end).SumAsync(f => f.AmountMinor, cancellationToken), currency)));
        }

        return new RevenueSeries(interval, currency, points);
    }

    public async Task<FinanceSummary> SummaryAsync(CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var byStatus = await db.Payouts.AsNoTracking().Where(p => p.Currency == currency)
            .Where(p => p.Status == PayoutStatus.PendingReview || p.Status == PayoutStatus.Held || p.Status == PayoutStatus.Approved)
            .GroupBy(p => p.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Amount = g.Sum(p => p.AmountMinor) })
            .ToListAsync(cancellationToken);
        var flagged = await db.Payouts.AsNoTracking().Where(Payout.AwaitingReview)
            .CountAsync(p => p.Anomalies != PayoutAnomalies.None, cancellationToken);
        var differences = await db.ReconciliationDifferences.CountAsync(d => d.ResolvedAt == null, cancellationToken);
        var lastRun = await db.SettlementRuns.AsNoTracking().OrderByDescending(r => r.StartedAt)
            .Select(r => (DateTimeOffset?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);

        int Count(PayoutStatus status) => byStatus.SingleOrDefault(s => s.Status == status)?.Count ?? 0;
        return new FinanceSummary(Count(PayoutStatus.PendingReview), Count(PayoutStatus.Held), Count(PayoutStatus.Approved), flagged,
            new Money(byStatus.Where(s => s.Status != PayoutStatus.Approved).Sum(s => s.Amount), currency), differences, lastRun);
    }

    private static DateTimeOffset Utc(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
