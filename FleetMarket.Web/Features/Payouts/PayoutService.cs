using FleetMarket.Domain;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Devices;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>A payout as the finance queue shows it, with how the owner's devices fare under result checks.</summary>
public sealed record PayoutRow(Guid Id, string OwnerId, string OwnerEmail, Money Amount, PayoutStatus Status,
    PayoutAnomalies Anomalies, DateTimeOffset CreatedAt, DateOnly PayBy, string? ReviewedBy, string? ReviewNote, string? TransferId,
    bool Simulated, string? FailureReason, OwnerReliability OwnerReliability);

/// <summary>The finance queue's filters: a status (all when null), only flagged payouts, an owner's email fragment; one page.</summary>
public sealed record PayoutQuery(PayoutStatus? Status = null, bool FlaggedOnly = false, string? Owner = null, int Page = 0, int PageSize = 25);

public sealed record PayoutPage(IReadOnlyList<PayoutRow> Rows, int Total);

/// <summary>
/// Finance staff's review of payouts: approve (the transfer then runs as execute-payout), hold, or release a
/// hold, each with its reason in the audit log, in the same transaction as the decision.
/// </summary>
public sealed class PayoutService(FleetDbContext db, AuditTrail audit, IBackgroundJobClient backgroundJobs, TimeProvider time)
{
    public async Task<PayoutPage> QueryAsync(PayoutQuery query, CancellationToken cancellationToken = default)
    {
        var payouts = db.Payouts.AsNoTracking()
            .Join(db.Users, p => p.OwnerId, u => u.Id,
                (p, u) => new { Payout = p, Email = u.Email ?? u.UserName ?? "", NormalizedEmail = u.NormalizedEmail ?? u.NormalizedUserName ?? "" });
        if (query.Status is { } status)
        {
            payouts = payouts.Where(x => x.Payout.Status == status);
        }

        if (query.FlaggedOnly)
        {
            payouts = payouts.Where(x => x.Payout.Anomalies != PayoutAnomalies.None);
        }

        if (!string.IsNullOrWhiteSpace(query.Owner))
        {
            // Against the normalized email: SQLite's Contains is case-sensitive, and people type emails in any case.
            var owner = query.Owner.Trim().ToUpperInvariant();
            payouts = payouts.Where(x => x.NormalizedEmail.Contains(owner));
        }

        var total = await payouts.CountAsync(cancellationToken);
        var page = await payouts.OrderByDescending(x => x.Payout.CreatedAt).ThenBy(x => x.Payout.Id)
            .Skip(query.Page * query.PageSize).Take(query.PageSize)
            .Select(x => new { x.Payout, x.Email })
            .ToListAsync(cancellationToken);
        var reliability = await db.Devices.ReliabilityByOwnerAsync(page.Select(x => x.Payout.OwnerId).Distinct().ToList(), cancellationToken);
        var rows = page.Select(x => new PayoutRow(x.Payout.Id, x.Payout.OwnerId, x.Email, new Money(x.Payout.AmountMinor, x.Payout.Currency),
                x.Payout.Status, x.Payout.Anomalies, x.Payout.CreatedAt, x.Payout.PayBy, x.Payout.ReviewedBy, x.Payout.ReviewNote,
                x.Payout.TransferId, x.Payout.Simulated, x.Payout.FailureReason,
                reliability.GetValueOrDefault(x.Payout.OwnerId, OwnerReliability.NoDevices)))
            .ToList();
        return new PayoutPage(rows, total);
    }

    public Task ApproveAsync(Actor reviewer, Guid payoutId, string? note = null, CancellationToken cancellationToken = default) =>
        ApproveAllAsync(reviewer, [payoutId], note, cancellationToken);

    /// <summary>Approves every payout named, all or none; each gets its audit entry and its transfer job.</summary>
    public async Task ApproveAllAsync(Actor reviewer, IReadOnlyCollection<Guid> payoutIds, string? note = null,
        CancellationToken cancellationToken = default)
    {
        var payouts = await FindAllAsync(payoutIds, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var payout in payouts)
        {
            payout.Approve(reviewer.Name, note, now);
            audit.Record(reviewer, "payout.approve", Subject(payout), note);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var payout in payouts)
        {
            backgroundJobs.Enqueue<PayoutExecutor>(executor => executor.ExecuteAsync(payout.Id, CancellationToken.None));
        }
    }

    public async Task HoldAsync(Actor reviewer, Guid payoutId, string reason, CancellationToken cancellationToken = default)
    {
        var payout = (await FindAllAsync([payoutId], cancellationToken))[0];
        payout.Hold(reviewer.Name, reason, time.GetUtcNow());
        audit.Record(reviewer, "payout.hold", Subject(payout), reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task ReleaseAsync(Actor reviewer, Guid payoutId, string reason, CancellationToken cancellationToken = default)
    {
        var payout = (await FindAllAsync([payoutId], cancellationToken))[0];
        payout.Release(reviewer.Name, reason, time.GetUtcNow());
        audit.Record(reviewer, "payout.release", Subject(payout), reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string Subject(Payout payout) => Subject(payout.Id);

    /// <summary>How the audit log names a payout.</summary>
    public static string Subject(Guid payoutId) => $"payout:{payoutId}";

    private async Task<List<Payout>> FindAllAsync(IReadOnlyCollection<Guid> payoutIds, CancellationToken cancellationToken)
    {
        var payouts = await db.Payouts.Where(p => payoutIds.Contains(p.Id)).ToListAsync(cancellationToken);
        return payouts.Count == payoutIds.Distinct().Count() && payouts.Count > 0
            ? payouts
            : throw new NotFoundException("No such payout.");
    }
}
