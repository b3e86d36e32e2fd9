using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// A page on another site can make a signed-in buyer's browser post to <c>/api</c> with the portal's cookie
/// (SameSite=Lax stops only some of those). So an API write authenticated by that cookie must come from the
/// portal's own pages. Browsers say where a request comes from: <c>Sec-Fetch-Site</c>, else <c>Origin</c>.
/// A request with neither is not from a modern browser, so no other site can have sent it; bearer callers
/// (API keys, devices) carry a header no other site can set, and are not checked.
/// </summary>
public static class CrossOriginProtection
{
    public static WebApplication UseFleetCrossOriginProtection(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsCookieApiWrite(context) && !IsSameOrigin(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "Cross-site request refused.",
                        Detail = "This request came from another site with your sign-in cookie. Use the portal's own pages, or call the API with an API key.",
                    },
                });
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsCookieApiWrite(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
        && !HttpMethods.IsOptions(context.Request.Method)
        && !context.Request.Headers.ContainsKey(HeaderNames.Authorization)
        && context.User.Identities.Any(identity => identity is { IsAuthenticated: true, AuthenticationType: var type }
                                                   && type == IdentityConstants.ApplicationScheme);

    private static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site)
        {
            // "none": the person typed the address or used a bookmark.
            return site is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
               || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                   && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
