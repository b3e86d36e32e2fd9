using System.Security.Claims;
using FleetMarket.Web.Components.Shared;
using FleetMarket.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.Balance;

public static class BalanceApi
{
    public static IEndpointRouteBuilder MapBalanceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/balance", GetAsync).RequireAuthorization(IdentityExtensions.BuyerApiPolicy)
            .RequireRateLimiting(RateLimits.BuyerApi).WithTags("Balance");
        return app;
    }

    /// <summary>Available and held (escrow) amounts, in integer minor units.</summary>
    public static async Task<Ok<BuyerBalance>> GetAsync(ClaimsPrincipal user, BalanceService balances, CancellationToken cancellationToken) =>
        TypedResults.Ok(await balances.GetAsync(user.UserId(), cancellationToken));
}
