using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetMarket.Web.Features.Devices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

public sealed class DeviceAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>Authenticates a worker by the bearer credential it got at pairing.</summary>
public sealed class DeviceAuthenticationHandler(
    IOptionsMonitor<DeviceAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DeviceCredentialCache credentials)
    : AuthenticationHandler<DeviceAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Device";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var device = await credentials.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (device is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked device credential.");
        }

        // Handlers read the policy from the request rather than the database: the hot path stays read-free.
        Context.Features.Set(device);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, device.DeviceId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
