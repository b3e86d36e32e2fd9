using FleetMarket.Domain;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Payments;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Finance;

public sealed record DifferenceRow(Guid Id, DateTimeOffset FoundAt, string Kind, string Reference, long? LedgerMinor, long? StripeMinor,
    string Note, DateTimeOffset? ResolvedAt, string? ResolvedBy);

public sealed record DifferencePage(IReadOnlyList<DifferenceRow> Rows, int Total);

/// <summary>What reconcile-stripe found for finance staff to resolve, and a way to run it now.</summary>
public sealed class Reconciliation(FleetDbContext db, AuditTrail audit, StripeGateway stripe, IRecurringJobManager recurringJobs,
    TimeProvider time)
{
    public const string ResolveAction = "reconciliation.resolve";

    /// <summary>Without Stripe keys payouts are simulated and there is nothing to compare.</summary>
    public bool StripeConfigured => stripe.IsConfigured;

    public async Task<DifferencePage> ListAsync(bool includeResolved, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var differences = db.ReconciliationDifferences.AsNoTracking();
        if (!includeResolved)
        {
            differences = differences.Where(d => d.ResolvedAt == null);
        }

        var rows = await differences.OrderByDescending(d => d.FoundAt).ThenBy(d => d.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(d => new DifferenceRow(d.Id, d.FoundAt, d.Kind, d.Reference, d.LedgerMinor, d.StripeMinor, d.Note, d.ResolvedAt, d.ResolvedBy))
            .ToListAsync(cancellationToken);
        return new DifferencePage(rows, await differences.CountAsync(cancellationToken));
    }

    /// <summary>Marks a difference as dealt with; what was done goes in the audit log, saved with the change.</summary>
    public async Task ResolveAsync(Actor actor, Guid differenceId, string note, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainException("Say how it was resolved: it goes in the audit log.");
        }

        var difference = await db.ReconciliationDifferences.SingleOrDefaultAsync(d => d.Id == differenceId, cancellationToken)
                         ?? throw new NotFoundException("No such difference.");
        if (difference.ResolvedAt is not null)
        {
            throw new DomainException($"This difference was already resolved by {difference.ResolvedBy}.");
        }

        difference.Resolve(actor.Name, time.GetUtcNow());
        audit.Record(actor, ResolveAction, Subject(differenceId), note);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues reconcile-stripe now, on whichever node's Hangfire server picks it up.</summary>
    public void RunNow() => recurringJobs.Trigger(ReconcileStripeTask.Id);

    public static string Subject(Guid differenceId) => $"reconciliation:{differenceId}";
}
