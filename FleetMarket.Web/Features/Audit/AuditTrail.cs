using System.Security.Claims;
using FleetMarket.Domain.Audit;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Audit;

/// <summary>Who is acting, as the audit log records them.</summary>
public sealed record Actor(string Id, string Name)
{
    public static Actor Of(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.Email) ?? "unknown");

    /// <summary>The marketplace itself: a background task or a Stripe webhook.</summary>
    public static Actor System { get; } = new("system", "FleetMarket");
}

public sealed record AuditLine(DateTimeOffset At, string Actor, string Action, string Subject, string? Reason);

/// <summary>
/// Adds audit entries to the caller's unit of work, so an action and its record are saved together or not at
/// all; and reads them back for finance and admin staff.
/// </summary>
public sealed class AuditTrail(FleetDbContext db, TimeProvider time)
{
    public void Record(Actor actor, string action, string subject, string? reason = null) =>
        db.AuditLog.Add(new AuditEntry(actor.Id, actor.Name, action, subject, reason, time.GetUtcNow()));

    /// <summary>For services that know the acting user only by id: the entry names them by their email.</summary>
    public async Task RecordAsync(string actorId, string action, string subject, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var name = await db.Users.Where(u => u.Id == actorId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        Record(new Actor(actorId, name ?? actorId), action, subject, reason);
    }

    public async Task<IReadOnlyList<AuditLine>> RecentAsync(string? subject = null, int take = 100, CancellationToken cancellationToken = default) =>
        await (subject is null ? db.AuditLog : db.AuditLog.Where(e => e.Subject == subject))
            .OrderByDescending(e => e.At)
            .Take(take)
            .Select(e => new AuditLine(e.At, e.Actor, e.Action, e.Subject, e.Reason))
            .ToListAsync(cancellationToken);
}
