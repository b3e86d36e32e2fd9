using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.WorkerProtocol;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace FleetMarket.Web.Hosting;

public static class IdentityExtensions
{
    /// <summary>Cookie sign-in for people (Identity with roles), bearer credentials for devices, one policy per role.</summary>
    public static WebApplicationBuilder AddFleetIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication()
            .AddScheme<DeviceAuthenticationOptions, DeviceAuthenticationHandler>(DeviceAuthenticationHandler.SchemeName, null)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Events.OnRedirectToLogin = ApiAwareRedirect(StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = ApiAwareRedirect(StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<FleetDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<FleetClaimsPrincipalFactory>()
            .AddErrorDescriber<AccountErrors>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Owner, policy => policy.RequireRole(Roles.Owner))
            .AddPolicy(Roles.Buyer, policy => policy.RequireRole(Roles.Buyer))
            .AddPolicy(Roles.Finance, policy => policy.RequireRole(Roles.Finance))
            .AddPolicy(Roles.Admin, policy => policy.RequireRole(Roles.Admin))
            // Buyers' HTTP API: the portal's cookie or an API key.
            .AddPolicy(EndpointPolicies.BuyerApi, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiKeyAuthenticationHandler.SchemeName)
                .RequireRole(Roles.Buyer))
            .AddPolicy(DeviceAuthenticationHandler.SchemeName, policy => policy
                .AddAuthenticationSchemes(DeviceAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());

        services.AddScoped<RoleSeeder>();
        services.AddScoped<DemoSeeder>();
        return builder;
    }

    /// <summary>API callers get a status code; people in a browser are sent to the login page.</summary>
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> ApiAwareRedirect(int statusCode) => context =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = statusCode;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    };
}
