using Microsoft.AspNetCore.Identity;

namespace FleetMarket.Web.Features.Accounts;

/// <summary>
/// Identity's refusals in the portal's words: one sentence that says what the password or address needs, instead of
/// "Passwords must have at least one uppercase ('A'-'Z')." once per rule.
/// </summary>
internal sealed class AccountErrors : IdentityErrorDescriber
{
    private const string PasswordRule = "The password needs at least 8 characters, with a digit, an upper-case and a lower-case letter.";

    public override IdentityError PasswordTooShort(int length) => Password(nameof(PasswordTooShort));

    public override IdentityError PasswordRequiresDigit() => Password(nameof(PasswordRequiresDigit));

    public override IdentityError PasswordRequiresUpper() => Password(nameof(PasswordRequiresUpper));

    public override IdentityError PasswordRequiresLower() => Password(nameof(PasswordRequiresLower));

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = $"{email} already has an account: log in, or use another address." };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = $"{userName} already has an account: log in, or use another address." };

    private static IdentityError Password(string code) => new() { Code = code, Description = PasswordRule };
}
