using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace FleetMarket.Web.Features.Accounts;

/// <summary>
/// Who is signed in, for pages: the one way a component learns its user. It reads the page's
/// <see cref="AuthenticationStateProvider"/>, which Blazor fills from the request for static pages and keeps
/// (revalidated) for an interactive circuit. Inject it into the component itself: a service run in a scope of
/// its own (<c>Scoped&lt;T&gt;</c>) has no authentication state, so pages pass the id on. APIs read the endpoint's
/// <see cref="ClaimsPrincipal"/> instead.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>The signed-in user's id; pages behind [Authorize] always have one.</summary>
    public async Task<string> IdAsync() => (await PrincipalAsync()).UserId();
}
