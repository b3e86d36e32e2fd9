using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Finance;

public sealed record OwnerFacts(string Id, string Email, string DisplayName, Money Earnings, Money Payable,
    Money PaidOut, PayoutAccountState? PayoutAccount, string? LastBankPayoutFailure, CarPaymentPlan? PaymentPlan, Money EarnedThisMonth);

/// <summary>
/// One job's accepted work on the owner's devices: the ledger's whole minor units (charge, fee, share) beside the exact
/// charge (<paramref name="ChargeMicros"/>, millionths of a minor unit); a unit of a cheap model is charged nothing or
/// one cent on its own, so only the job's total says what the work was worth.
/// </summary>
public sealed record OwnerJobUsageLine(Guid JobId, string JobName, DateTimeOffset LastRecordedAt, int Units, int Unsettled, int Reversed,
    long ComputeMilliseconds, long InferenceCount, long ChargeMicros, Money Charge, Money Fee)
{
    public Money Share => Charge - Fee;
}

public sealed record OwnerPayoutLine(Guid Id, DateOnly RunDate, Money Amount, PayoutStatus Status, PayoutAnomalies Anomalies,
    DateOnly PayBy, DateTimeOffset? PaidAt, bool Simulated, string? TransferId, string? ReviewedBy, string? ReviewNote, string? FailureReason);

public sealed record OwnerReport(OwnerFacts Owner, IReadOnlyList<LedgerLine> Ledger, IReadOnlyList<OwnerJobUsageLine> Usage,
    IReadOnlyList<DeviceRow> Devices, IReadOnlyList<OwnerPayoutLine> Payouts);

/// <summary>Everything finance staff need to judge one owner's payout: ledger, usage, devices, payouts and car lease.</summary>
public sealed class OwnerDrillDown(FleetDbContext db, LedgerService ledger, DeviceListing devices, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace)
{
    public const int LinesShown = 100;
    public const int DevicesShown = 50;

    public async Task<OwnerReport> ReportAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == ownerId)
                       .Select(u => new { u.Email, u.UserName, u.DisplayName })
                       .SingleOrDefaultAsync(cancellationToken)
                   ?? throw new NotFoundException("No such owner.");
        var currency = marketplace.Value.Currency;
        var accounts = new[] { LedgerAccounts.OwnerEarnings(ownerId), LedgerAccounts.OwnerPayable(ownerId) };
        var account = await db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.OwnerId == ownerId, cancellationToken);
        var plan = await db.CarPaymentPlans.AsNoTracking().SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

        var facts = new OwnerFacts(ownerId, user.Email ?? user.UserName ?? ownerId, user.DisplayName,
            await ledger.BalanceAsync(accounts[0], currency, cancellationToken),
            await ledger.BalanceAsync(accounts[1], currency, cancellationToken),
            new Money(await db.Payouts.Where(p => p.OwnerId == ownerId && p.Status == PayoutStatus.Paid && p.Currency == currency)
                .SumAsync(p => p.AmountMinor, cancellationToken), currency),
            account?.State, account?.LastBankPayoutFailure, plan,
            new Money(await db.UsageRecords.Where(u => u.OwnerId == ownerId && u.Currency == currency && u.RecordedAt >= monthStart)
                .SumAsync(u => u.ChargeMinor - u.FeeMinor, cancellationToken), currency));

        var usage = await db.UsageRecords.AsNoTracking().Where(u => u.OwnerId == ownerId)
            .GroupBy(u => new { u.JobId, u.Currency })
            .Select(g => new
            {
                g.Key.JobId,
                g.Key.Currency,
                Last = g.Max(u => u.RecordedAt),
                Units = g.Count(),
                Unsettled = g.Count(u => u.SettledAt == null),
                Reversed = g.Count(u => u.ReversedAt != null),
                Compute = g.Sum(u => u.ComputeMilliseconds),
                Inferences = g.Sum(u => u.InferenceCount),
                Micros = g.Sum(u => u.ChargeMicros),
                Charged = g.Sum(u => u.ChargeMinor),
                Fees = g.Sum(u => u.FeeMinor),
            })
            .OrderByDescending(j => j.Last).Take(LinesShown)
            .Join(db.Jobs, j => j.JobId, job => job.Id, (j, job) => new OwnerJobUsageLine(j.JobId, job.Name, j.Last, j.Units, j.Unsettled,
                j.Reversed, j.Compute, j.Inferences, j.Micros, new Money(j.Charged, j.Currency), new Money(j.Fees, j.Currency)))
            .ToListAsync(cancellationToken);
        var payouts = await db.Payouts.AsNoTracking().Where(p => p.OwnerId == ownerId)
            .OrderByDescending(p => p.RunDate).Take(LinesShown)
            .Select(p => new OwnerPayoutLine(p.Id, p.RunDate, new Money(p.AmountMinor, p.Currency), p.Status, p.Anomalies, p.PayBy, p.PaidAt,
                p.Simulated, p.TransferId, p.ReviewedBy, p.ReviewNote, p.FailureReason))
            .ToListAsync(cancellationToken);

        return new OwnerReport(facts, await ledger.HistoryByJobAsync(accounts, UsageSide.Owner, ownerId, LinesShown, cancellationToken),
            usage.OrderByDescending(u => u.LastRecordedAt).ToList(),
            (await devices.PageAsync(ownerId, 0, DevicesShown, cancellationToken)).Rows, payouts);
    }
}
