using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Accounts;

public sealed record UserRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>Registration (owners and buyers only) and the admin's granting of staff roles.</summary>
public sealed class AccountService(UserManager<ApplicationUser> users, FleetDbContext db, IOptions<AccountOptions> options,
    AuditTrail audit)
{
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

    /// <summary>Grants or withdraws a role; the admin who did it is in the audit log.</summary>
    public async Task SetRoleAsync(Actor admin, string userId, string role, bool granted)
    {
        if (!Roles.All.Contains(role))
        {
            throw new DomainException($"Unknown role '{role}'.");
        }

        var user = await users.FindByIdAsync(userId) ?? throw new DomainException("No such user.");
        var has = await users.IsInRoleAsync(user, role);
        if (granted == has)
        {
            return;
        }

        // The user store saves through the same context, so the entry is saved with the change.
        audit.Record(admin, granted ? "role.grant" : "role.revoke", $"user:{user.Id}", $"{role} for {user.Email}");
        await Succeed(granted ? users.AddToRoleAsync(user, role) : users.RemoveFromRoleAsync(user, role));
    }

    private static async Task Succeed(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (!result.Succeeded)
        {
            throw new DomainException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
