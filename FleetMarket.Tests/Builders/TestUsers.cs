using System.Net;
using System.Text.RegularExpressions;
using FleetMarket.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Builders;

public sealed record TestUser(string Id, string Email, string Password, string Role);

/// <summary>Creates users in a role, and HTTP clients signed in as them through the real login form.</summary>
public static partial class TestUsers
{
    public const string Password = "Test-pass-1234";

    public static Task<TestUser> CreateAsync(FleetApp app, string role, string? email = null) =>
        app.InScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser
            {
                UserName = email ?? $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test",
                DisplayName = $"Test {role}",
            };
            user.Email = user.UserName;
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, role));
            return new TestUser(user.Id, user.Email, Password, role);
        });

    /// <summary>An HTTP client with the user's auth cookie, obtained by posting the login page's form.</summary>
    public static async Task<HttpClient> SignedInClientAsync(FleetApp app, TestUser user)
    {
        var client = app.NewClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Login of {user.Email} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
