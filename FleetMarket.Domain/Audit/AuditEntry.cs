namespace FleetMarket.Domain.Audit;

/// <summary>
/// One thing a person did that moves money or opens doors: a payout decision, a role change, a credential
/// issued or revoked. Written in the same transaction as the change itself, never edited.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(string actorId, string actor, string action, string subject, string? reason, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        ActorId = actorId;
        Actor = actor;
        Action = action;
        Subject = subject;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        At = now;
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string ActorId { get; private set; } = "";

    /// <summary>Who, as shown to people (an email), kept even if the account is later renamed.</summary>
    public string Actor { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string? Reason { get; private set; }
}
