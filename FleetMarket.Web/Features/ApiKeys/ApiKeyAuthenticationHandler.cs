using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetMarket.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.ApiKeys;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>Authenticates a buyer's program by <c>Authorization: Bearer fmk_…</c>, as the Buyer role only.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Prefix = "Bearer fmk_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var buyerId = await keys.FindBuyerAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (buyerId is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, buyerId), new Claim(ClaimTypes.Role, Roles.Buyer)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
