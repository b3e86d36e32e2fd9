using FleetMarket.Domain;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Payouts;

public sealed record PayoutRow(Guid Id, string OwnerEmail, long AmountMinor, string Currency, PayoutStatus Status,
    DateTimeOffset CreatedAt, string? ReviewedBy);

/// <summary>Finance staff's review of payouts: approve (the ledger pays the owner out) or hold.</summary>
public sealed class PayoutService(FleetDbContext db, LedgerService ledger, TimeProvider time)
{
    public async Task<IReadOnlyList<PayoutRow>> ListAsync(bool openOnly, CancellationToken cancellationToken = default) =>
        await (openOnly ? db.Payouts.Where(Payout.Open) : db.Payouts)
            .Join(db.Users, p => p.OwnerId, u => u.Id, (p, u) => new { Payout = p, Email = u.Email ?? u.UserName ?? "" })
            .OrderByDescending(x => x.Payout.CreatedAt)
            .Select(x => new PayoutRow(x.Payout.Id, x.Email, x.Payout.AmountMinor, x.Payout.Currency, x.Payout.Status,
                x.Payout.CreatedAt, x.Payout.ReviewedBy))
            .ToListAsync(cancellationToken);

    public async Task ApproveAsync(Guid payoutId, string reviewer, CancellationToken cancellationToken = default)
    {
        var payout = await FindAsync(payoutId, cancellationToken);
        var now = time.GetUtcNow();
        payout.Approve(reviewer, now);
        await ledger.TryAddAsync(SettlementEntries.PayOut(payout, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task HoldAsync(Guid payoutId, string reviewer, CancellationToken cancellationToken = default)
    {
        var payout = await FindAsync(payoutId, cancellationToken);
        payout.Hold(reviewer, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Payout> FindAsync(Guid payoutId, CancellationToken cancellationToken) =>
        await db.Payouts.SingleOrDefaultAsync(p => p.Id == payoutId, cancellationToken)
        ?? throw new DomainException("No such payout.");
}
