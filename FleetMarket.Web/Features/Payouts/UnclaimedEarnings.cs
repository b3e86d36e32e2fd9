using FleetMarket.Domain.Money;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// An owner's settled earnings not yet claimed by a payout (in the marketplace currency, the one earnings are settled
/// and paid out in), and when their car lease payment falls next.
/// </summary>
public sealed record OwnerEarnings(string OwnerId, Money Amount, DateOnly? CarPaymentDueDate)
{
    /// <summary>The lease payment is near enough to pay the owner now, whatever the amount.</summary>
    public bool CarPaymentDueSoon(DateOnly today, PayoutOptions options) =>
        CarPaymentDueDate is { } due && due.DayNumber - today.DayNumber <= options.LeaseDueWithinDays;

    /// <summary>Whether a payout run today builds a payout of these earnings: past the minimum, or the lease payment near.</summary>
    public bool Payable(DateOnly today, PayoutOptions options) => Amount.Minor >= options.MinimumPayoutMinor || CarPaymentDueSoon(today, options);
}

/// <summary>Unclaimed earnings as finance sees them: whose, and whether the next payout run pays them.</summary>
public sealed record WaitingEarnings(OwnerEarnings Earnings, string OwnerEmail, bool PaidNextRun);

/// <summary>What the payout run pays from, and what finance sees waiting: every owner's unclaimed earnings.</summary>
public sealed class UnclaimedEarnings(FleetDbContext db, IOptions<Marketplace.MarketplaceOptions> marketplace, IOptions<PayoutOptions> payouts,
    TimeProvider time)
{
    /// <summary>Every owner with unclaimed earnings, the largest first, and whether a payout run today would pay them.</summary>
    public async Task<IReadOnlyList<WaitingEarnings>> WaitingAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var owners = await ReadAsync(today, cancellationToken);
        var ids = owners.Select(o => o.OwnerId).ToList();
        var emails = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.UserName ?? u.Id, cancellationToken);
        return owners.OrderByDescending(o => o.Amount.Minor)
            .Select(o => new WaitingEarnings(o, emails.GetValueOrDefault(o.OwnerId, o.OwnerId), o.Payable(today, payouts.Value)))
            .ToList();
    }

    public async Task<IReadOnlyList<OwnerEarnings>> ReadAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var earnings = (await db.Postings
                // A range rather than StartsWith, which SQLite's LIKE answers by reading every posting.
                .Where(p => string.Compare(p.Account, "owner:") > 0 && string.Compare(p.Account, "owner;") < 0)
                .Where(p => p.Account.EndsWith(":earnings") && p.Currency == currency)
                .GroupBy(p => p.Account)
                .Select(g => new { Account = g.Key, Amount = g.Sum(p => p.AmountMinor) })
                .Where(x => x.Amount > 0)
                .ToListAsync(cancellationToken))
            .Select(e => (OwnerId: OwnerOf(e.Account), e.Amount))
            .ToList();
        var ownerIds = earnings.Select(e => e.OwnerId).ToList();
        var plans = await db.CarPaymentPlans.AsNoTracking().Where(l => ownerIds.Contains(l.OwnerId)).ToDictionaryAsync(l => l.OwnerId, cancellationToken);
        return earnings.Select(e => new OwnerEarnings(e.OwnerId, new Money(e.Amount, currency), plans.GetValueOrDefault(e.OwnerId)?.NextDueDate(today)))
            .ToList();
    }

    private static string OwnerOf(string earningsAccount) => earningsAccount["owner:".Length..earningsAccount.LastIndexOf(':')];
}
