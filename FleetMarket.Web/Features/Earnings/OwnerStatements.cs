using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Earnings;

public sealed record StatementPayout(Guid Id, DateOnly RunDate, DateTimeOffset PaidAt, Money Amount, bool Simulated);

/// <summary>
/// One job's work on the owner's devices in the month: what buyers were charged for it in whole minor units (the
/// ledger's figure) and exactly (<paramref name="ChargeMicros"/>, millionths of a minor unit), and the fee.
/// </summary>
public sealed record StatementJob(Guid JobId, int Units, long Inferences, long ComputeMilliseconds, long ChargeMicros, Money Charged, Money Fees)
{
    public Money Earned => Charged - Fees;

    /// <summary>How the job is named to the owner: by its id's first characters, as the buyer's job name is the buyer's.</summary>
    public string Reference => JobId.ToString("N")[..8];
}

/// <summary>
/// One calendar month (UTC) of an owner's money: what buyers were charged for their devices' accepted work, the
/// platform's fee, work reversed in the month, the payouts paid in the month, and the car lease payment due; and the
/// month's work job by job, largest first (<paramref name="Jobs"/>).
/// </summary>
public sealed record OwnerStatement(DateOnly Month, string Currency, int UsageRecords, Money Charged, Money Fees,
    Money Reversed, IReadOnlyList<StatementPayout> Payouts, string? Lessor, Money CarPayment, int? CarPaymentCoveredBasisPoints,
    IReadOnlyList<StatementJob> Jobs)
{
    /// <summary>What the month's work cost buyers exactly; <see cref="Charged"/> is this rounded down per job.</summary>
    public long ChargeMicros => Jobs.Sum(j => j.ChargeMicros);

    /// <summary>The owner's share of the month's accepted work.</summary>
    public Money Earned => Charged - Fees;

    public Money NetEarned => Earned - Reversed;

    public Money PaidOut => Payouts.Select(p => p.Amount).Sum(Currency);
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

        var byJob = await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Currency == currency && u.RecordedAt >= start && u.RecordedAt < end)
            .GroupBy(u => u.JobId)
            .Select(g => new
            {
                JobId = g.Key,
                Units = g.Count(),
                Inferences = g.Sum(u => u.InferenceCount),
                Compute = g.Sum(u => u.ComputeMilliseconds),
                Micros = g.Sum(u => u.ChargeMicros),
                Charged = g.Sum(u => u.ChargeMinor),
                Fees = g.Sum(u => u.FeeMinor),
            })
            .ToListAsync(cancellationToken);
        var jobs = byJob.Select(j => new StatementJob(j.JobId, j.Units, j.Inferences, j.Compute, j.Micros,
            new Money(j.Charged, currency), new Money(j.Fees, currency))).ToList();
        var reversed = new Money(await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.Currency == currency && u.ReversedAt >= start && u.ReversedAt < end)
            .SumAsync(u => u.ChargeMinor - u.FeeMinor, cancellationToken), currency);
        var payouts = (await db.Payouts.AsNoTracking()
                .Where(p => p.OwnerId == ownerId && p.Currency == currency && p.Status == PayoutStatus.Paid && p.PaidAt >= start && p.PaidAt < end)
                .OrderBy(p => p.PaidAt)
                .Select(p => new { p.Id, p.RunDate, PaidAt = p.PaidAt!.Value, p.AmountMinor, p.Simulated })
                .ToListAsync(cancellationToken))
            .Select(p => new StatementPayout(p.Id, p.RunDate, p.PaidAt, new Money(p.AmountMinor, currency), p.Simulated))
            .ToList();
        var plan = await db.CarPaymentPlans.AsNoTracking().SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);

        var charged = jobs.Select(j => j.Charged).Sum(currency);
        var fees = jobs.Select(j => j.Fees).Sum(currency);
        var net = charged - fees - reversed;
        var carPayment = plan?.IsDueIn(month) == true ? plan.MonthlyPayment : Money.Zero(currency);
        return new OwnerStatement(month, currency, jobs.Sum(j => j.Units), charged, fees, reversed, payouts, plan?.Lessor,
            carPayment, plan is null ? null : plan.CoveredBasisPoints(month, Math.Max(0, net.Minor)),
            jobs.OrderByDescending(j => j.ChargeMicros).ThenBy(j => j.JobId).ToList());
    }
}
