using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Earnings;

public sealed record StatementPayout(Guid Id, DateOnly RunDate, DateTimeOffset PaidAt, long AmountMinor, bool Simulated);

/// <summary>
/// One job's work on the owner's devices in the month: what buyers were charged for it in whole minor units (the
/// ledger's figure) and exactly (<paramref name="ChargeMicros"/>, millionths of a minor unit), and the fee.
/// </summary>
public sealed record StatementJob(Guid JobId, int Units, long Inferences, long ComputeMilliseconds, long ChargeMicros, long ChargedMinor, long FeesMinor)
{
    public long EarnedMinor => ChargedMinor - FeesMinor;

    /// <summary>How the job is named to the owner: by its id's first characters, as the buyer's job name is the buyer's.</summary>
    public string Reference => JobId.ToString("N")[..8];
}

/// <summary>
/// One calendar month (UTC) of an owner's money: what buyers were charged for their devices' accepted work, the
/// platform's fee, work reversed in the month, the payouts paid in the month, and the car lease payment due; and the
/// month's work job by job, largest first (<paramref name="Jobs"/>).
/// </summary>
public sealed record OwnerStatement(DateOnly Month, string Currency, int UsageRecords, long ChargedMinor, long FeesMinor,
    long ReversedMinor, IReadOnlyList<StatementPayout> Payouts, string? Lessor, long CarPaymentMinor, int? CarPaymentCoveredBasisPoints,
    IReadOnlyList<StatementJob> Jobs)
{
    /// <summary>What the month's work cost buyers exactly; <see cref="ChargedMinor"/> is this rounded down per job.</summary>
    public long ChargeMicros => Jobs.Sum(j => j.ChargeMicros);

    /// <summary>The owner's share of the month's accepted work.</summary>
    public long EarnedMinor => ChargedMinor - FeesMinor;

    public long NetEarnedMinor => EarnedMinor - ReversedMinor;

    public long PaidOutMinor => Payouts.Sum(p => p.AmountMinor);
}

/// <summary>Owners' monthly statements; each owner only ever gets their own (the id comes from their sign-in).</summary>
public sealed class OwnerStatements(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    public const int MonthsOffered = 12;

    /// <summary>The months a statement can be asked for, newest first: this one and the eleven before it.</summary>
    public IReadOnlyList<DateOnly> Months()
    {
        var now = time.GetUtcNow();
        var current = new DateOnly(now.Year, now.Month, 1);
        return Enumerable.Range(0, MonthsOffered).Select(i => current.AddMonths(-i)).ToList();
    }

    public async Task<OwnerStatement> StatementAsync(string ownerId, DateOnly month, CancellationToken cancellationToken = default)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddMonths(1);
        var currency = marketplace.Value.Currency;

        var jobs = await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Currency == currency && u.RecordedAt >= start && u.RecordedAt < end)
            .GroupBy(u => u.JobId)
            .Select(g => new StatementJob(g.Key, g.Count(), g.Sum(u => u.InferenceCount), g.Sum(u => u.ComputeMilliseconds), g.Sum(u => u.ChargeMicros),
                g.Sum(u => u.ChargeMinor), g.Sum(u => u.FeeMinor)))
            .ToListAsync(cancellationToken);
        var usage = new { Count = jobs.Sum(j => j.Units), Charged = jobs.Sum(j => j.ChargedMinor), Fees = jobs.Sum(j => j.FeesMinor) };
        var reversed = await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Currency == currency && u.ReversedAt >= start && u.ReversedAt < end)
            .SumAsync(u => u.ChargeMinor - u.FeeMinor, cancellationToken);
        var payouts = await db.Payouts.AsNoTracking()
            .Where(p => p.OwnerId == ownerId && p.Currency == currency && p.Status == PayoutStatus.Paid && p.PaidAt >= start && p.PaidAt < end)
            .OrderBy(p => p.PaidAt)
            .Select(p => new StatementPayout(p.Id, p.RunDate, p.PaidAt!.Value, p.AmountMinor, p.Simulated))
            .ToListAsync(cancellationToken);
        var plan = await db.CarPaymentPlans.AsNoTracking().SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);

        var net = usage.Charged - usage.Fees - reversed;
        var carPayment = plan?.IsDueIn(month) == true ? plan.MonthlyPaymentMinor : 0;
        return new OwnerStatement(month, currency, usage.Count, usage.Charged, usage.Fees, reversed, payouts, plan?.Lessor,
            carPayment, plan is null ? null : plan.CoveredBasisPoints(month, Math.Max(0, net)),
            jobs.OrderByDescending(j => j.ChargeMicros).ThenBy(j => j.JobId).ToList());
    }
}
