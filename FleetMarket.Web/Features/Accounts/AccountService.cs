using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Accounts;

public sealed record UserRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>Registration (owners and buyers only) and the admin's granting of staff roles.</summary>
public sealed class AccountService(UserManager<ApplicationUser> users, FleetDbContext db, IOptions<AccountOptions> options,
    AuditTrail audit)
{
    /// <summary>Leaves room in the audit entry's 1,000 characters for the role and the user's email.</summary>
    public const int MaxReasonLength = 500;

    public async Task<ApplicationUser> RegisterAsync(string email, string password, string displayName, string role)
    {
        if (!Roles.SelfService.Contains(role))
        {
            throw new DomainException("You can register as an owner or a buyer.");
        }

        // One transaction: a user is never left without the role they registered for.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = displayName.Trim() };
        await Succeed(users.CreateAsync(user, password));
        await Succeed(users.AddToRoleAsync(user, role));
        if (string.Equals(email, options.Value.BootstrapAdminEmail, StringComparison.OrdinalIgnoreCase))
        {
            await Succeed(users.AddToRoleAsync(user, Roles.Admin));
        }

        await transaction.CommitAsync();
        return user;
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var roleNames = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var all = await db.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return all.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName,
            roleNames.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList())).ToList();
    }

    /// <summary>
    /// Grants or withdraws a role, with the admin's reason in the audit log. Withdrawing the last Admin role is
    /// refused: nobody could then grant it again short of editing the database.
    /// </summary>
    public async Task SetRoleAsync(Actor admin, string userId, string role, bool granted, string reason)
    {
        if (!Roles.All.Contains(role))
        {
            throw new DomainException($"Unknown role '{role}'.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Give a reason for the role change: it goes in the audit log.");
        }

        if (reason.Trim().Length > MaxReasonLength)
        {
            throw new DomainException($"Keep the reason to {MaxReasonLength} characters.");
        }

        // One serializable transaction, so that two admins withdrawing each other's role at once cannot both see
        // the other still there: SQLite takes its write lock at the start; on SQL Server one of the two deadlocks and fails.
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        var user = await users.FindByIdAsync(userId) ?? throw new DomainException("No such user.");
        var has = await users.IsInRoleAsync(user, role);
        if (granted == has)
        {
            return;
        }

        // The user store saves through the same context, so the entry is saved with the change.
        audit.Record(admin, granted ? "role.grant" : "role.revoke", $"user:{user.Id}", $"{role} for {user.Email}: {reason.Trim()}");
        await Succeed(granted ? users.AddToRoleAsync(user, role) : users.RemoveFromRoleAsync(user, role));
        if (!granted && role == Roles.Admin && (await users.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
        {
            throw new DomainException($"{user.Email} is the last admin: grant the Admin role to someone else first.");
        }

        await transaction.CommitAsync();
    }

    private static async Task Succeed(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (!result.Succeeded)
        {
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description).Distinct()));
        }
    }
}
