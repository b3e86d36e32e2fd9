using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Payouts;

public sealed record OwnerPayoutRow(Guid Id, DateOnly RunDate, Money Amount, PayoutStatus Status, DateOnly PayBy,
    DateTimeOffset? PaidAt, bool Simulated, string? FailureReason);

public sealed record OwnerPayoutPage(IReadOnlyList<OwnerPayoutRow> Rows, int Total);

/// <summary>An owner's own payouts, newest first. Review notes and anomaly flags are finance's, not shown here.</summary>
public sealed class OwnerPayoutHistory(FleetDbContext db)
{
    public async Task<OwnerPayoutPage> PageAsync(string ownerId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var payouts = db.Payouts.AsNoTracking().Where(p => p.OwnerId == ownerId);
        var rows = await payouts.OrderByDescending(p => p.RunDate).ThenBy(p => p.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(p => new OwnerPayoutRow(p.Id, p.RunDate, new Money(p.AmountMinor, p.Currency), p.Status, p.PayBy, p.PaidAt, p.Simulated, p.FailureReason))
            .ToListAsync(cancellationToken);
        return new OwnerPayoutPage(rows, await payouts.CountAsync(cancellationToken));
    }
}
