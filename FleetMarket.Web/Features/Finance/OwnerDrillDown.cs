using FleetMarket.Domain.Leases;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Finance;

public sealed record OwnerFacts(string Id, string Email, string DisplayName, string Currency, long EarningsMinor, long PayableMinor,
    long PaidOutMinor, PayoutAccountState? PayoutAccount, string? LastBankPayoutFailure, CarLease? Lease, long EarnedThisMonthMinor);

public sealed record OwnerUsageLine(DateTimeOffset RecordedAt, string Device, Guid JobId, long ComputeMilliseconds, long InferenceCount,
    long ChargeMinor, long FeeMinor, string Currency, bool Settled, DateTimeOffset? ReversedAt, string? ReversalReason)
{
    public long ShareMinor => ChargeMinor - FeeMinor;
}

public sealed record OwnerPayoutLine(Guid Id, DateOnly RunDate, long AmountMinor, string Currency, PayoutStatus Status, PayoutAnomalies Anomalies,
    DateOnly PayBy, DateTimeOffset? PaidAt, bool Simulated, string? TransferId, string? ReviewedBy, string? ReviewNote, string? FailureReason);

public sealed record OwnerReport(OwnerFacts Owner, IReadOnlyList<LedgerLine> Ledger, IReadOnlyList<OwnerUsageLine> Usage,
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
        var lease = await db.CarLeases.AsNoTracking().SingleOrDefaultAsync(l => l.OwnerId == ownerId, cancellationToken);
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

        var facts = new OwnerFacts(ownerId, user.Email ?? user.UserName ?? ownerId, user.DisplayName, currency,
            await ledger.BalanceAsync(accounts[0], currency, cancellationToken),
            await ledger.BalanceAsync(accounts[1], currency, cancellationToken),
            await db.Payouts.Where(p => p.OwnerId == ownerId && p.Status == PayoutStatus.Paid && p.Currency == currency)
                .SumAsync(p => p.AmountMinor, cancellationToken),
            account?.State, account?.LastBankPayoutFailure, lease,
            await db.UsageRecords.Where(u => u.OwnerId == ownerId && u.RecordedAt >= monthStart).SumAsync(u => u.ChargeMinor - u.FeeMinor, cancellationToken));

        var usage = await db.UsageRecords.AsNoTracking().Where(u => u.OwnerId == ownerId)
            .OrderByDescending(u => u.RecordedAt).Take(LinesShown)
            .Join(db.Devices, u => u.DeviceId, d => d.Id, (u, d) => new OwnerUsageLine(u.RecordedAt, d.Name, u.JobId, u.ComputeMilliseconds,
                u.InferenceCount, u.ChargeMinor, u.FeeMinor, u.Currency, u.SettledAt != null, u.ReversedAt, u.ReversalReason))
            .ToListAsync(cancellationToken);
        var payouts = await db.Payouts.AsNoTracking().Where(p => p.OwnerId == ownerId)
            .OrderByDescending(p => p.RunDate).Take(LinesShown)
            .Select(p => new OwnerPayoutLine(p.Id, p.RunDate, p.AmountMinor, p.Currency, p.Status, p.Anomalies, p.PayBy, p.PaidAt, p.Simulated,
                p.TransferId, p.ReviewedBy, p.ReviewNote, p.FailureReason))
            .ToListAsync(cancellationToken);

        return new OwnerReport(facts, await ledger.HistoryAsync(accounts, LinesShown, cancellationToken),
            usage.OrderByDescending(u => u.RecordedAt).ToList(),
            (await devices.PageAsync(ownerId, 0, DevicesShown, cancellationToken)).Rows, payouts);
    }
}
