using FleetMarket.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace FleetMarket.Web.Features.Accounts;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so no link on another site can sign a user out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", LogoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> LogoutAsync(HttpContext http, SignInManager<ApplicationUser> signIn)
    {
        // The antiforgery middleware records its verdict; endpoints that bind no form must act on it.
        if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            return TypedResults.Problem("The sign-out form has expired: reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/");
    }
}
