using System.Security.Cryptography;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// Headers every response carries so that a browser refuses to sniff types, to leak paths to other sites, to
/// frame the portal, or to run script the app did not ship. Added when the response starts, so error responses
/// (whose headers the exception handler clears) carry them too.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "fleet.csp-nonce";

    /// <summary>
    /// Scripts only from this origin, plus the one inline import map Blazor writes, admitted by a nonce. Styles
    /// allow inline: MudBlazor sets style attributes on its components. The circuit's WebSocket is this origin
    /// ('self' covers ws: and wss: to the same host).
    /// </summary>
    private static string Policy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseFleetSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Hex, not base64: Razor would encode base64's '+' in the attribute, and the page would not read as the header does.
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.ContentSecurityPolicy = Policy(nonce);
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>The nonce this response's policy admits, for the inline scripts the app itself renders.</summary>
    public static string? CspNonce(this HttpContext context) => context.Items[NonceKey] as string;
}
