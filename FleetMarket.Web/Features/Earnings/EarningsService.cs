using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Money;
using FleetMarket.Web.Data;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Earnings;

public sealed record CarPaymentPlanInput(string Lessor, Money MonthlyPayment, int DueDay, DateOnly StartsOn, DateOnly EndsOn);

public sealed record DayEarnings(DateOnly Day, Money Earned);

/// <param name="CoveredBasisPoints">The share of the month's lease payment the earnings cover, in hundredths of a percent.</param>
public sealed record MonthEarnings(DateOnly Month, Money Earned, Money CarPayment, int CoveredBasisPoints);

public sealed record DeviceUtilisation(string Device, double Percent);

public sealed record EarningsReport(string Currency, CarPaymentPlan? PaymentPlan, IReadOnlyList<DayEarnings> Days,
    IReadOnlyList<MonthEarnings> Months, IReadOnlyList<DeviceUtilisation> Utilisation);

/// <summary>An owner's earnings (their share of accepted usage) by day and month, against their car lease.</summary>
public sealed class EarningsService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    public const int DaysShown = 30;
    public const int MonthsShown = 6;

    public async Task<EarningsReport> ReportAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - MonthsShown);
        var since = new DateTimeOffset(firstMonth.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Few rows per owner and month: summed here, because SQLite cannot group by a date part of a
        // DateTimeOffset stored as a number.
        var usage = await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.RecordedAt >= since)

            // Work found wrong later was taken back: it earned nothing.
            .Where(u => u.ReversedAt == null)
            .Select(u => new { u.RecordedAt, Share = u.ChargeMinor - u.FeeMinor, u.DeviceId, u.ComputeMilliseconds })
            .ToListAsync(cancellationToken);
        var plan = await db.CarPaymentPlans.AsNoTracking().SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);

        var currency = marketplace.Value.Currency;
        var byDay = usage.GroupBy(u => DateOnly.FromDateTime(u.RecordedAt.UtcDateTime)).ToDictionary(g => g.Key, g => g.Sum(u => u.Share));
        var days = Enumerable.Range(0, DaysShown).Select(i => today.AddDays(i - DaysShown + 1))
            .Select(day => new DayEarnings(day, new Money(byDay.GetValueOrDefault(day), currency))).ToList();

        var months = Enumerable.Range(0, MonthsShown).Select(i => firstMonth.AddMonths(i)).Select(month =>
        {
            var earned = usage.Where(u => u.RecordedAt.Year == month.Year && u.RecordedAt.Month == month.Month).Sum(u => u.Share);
            var payment = plan?.IsDueIn(month) == true ? plan.MonthlyPaymentMinor : 0;
            return new MonthEarnings(month, new Money(earned, currency), new Money(payment, currency), plan?.CoveredBasisPoints(month, earned) ?? 0);
        }).ToList();

        return new EarningsReport(currency, plan, days, months,
            await UtilisationAsync(ownerId, today, cancellationToken));
    }

    public async Task SaveCarPaymentPlanAsync(string ownerId, CarPaymentPlanInput input, CancellationToken cancellationToken = default)
    {
        var plan = await db.CarPaymentPlans.SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);
        if (plan is null)
        {
            plan = new CarPaymentPlan(ownerId, marketplace.Value.Currency);
            db.CarPaymentPlans.Add(plan);
        }

        plan.Update(input.Lessor, input.MonthlyPayment, input.DueDay, input.StartsOn, input.EndsOn);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Share of this month's hours so far that each device spent computing accepted units.</summary>
    private async Task<IReadOnlyList<DeviceUtilisation>> UtilisationAsync(string ownerId, DateOnly today, CancellationToken cancellationToken)
    {
        var monthStart = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var elapsed = Math.Max(1, (time.GetUtcNow() - monthStart).TotalMilliseconds);
        var devices = await db.Devices.AsNoTracking().Where(d => d.OwnerId == ownerId).OrderBy(d => d.Name)
            .Select(d => new
            {
                d.Name,
                Busy = db.UsageRecords.Where(u => u.DeviceId == d.Id && u.RecordedAt >= monthStart).Sum(u => u.ComputeMilliseconds),
            })
            .ToListAsync(cancellationToken);
        return devices.Select(d => new DeviceUtilisation(d.Name, Math.Round(100 * d.Busy / elapsed, 2))).ToList();
    }
}
