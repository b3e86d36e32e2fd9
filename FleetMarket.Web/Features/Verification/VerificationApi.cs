using System.Security.Claims;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.Verification;

/// <summary>A buyer's say over the checks of their job's results, beside the rest of the jobs API.</summary>
public static class VerificationApi
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/jobs/{jobId:guid}/accept-unchecked", AcceptUncheckedAsync).DisableAntiforgery()
            .RequireAuthorization(EndpointPolicies.BuyerApi).RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Jobs");
        return app;
    }

    /// <summary>Results waiting for a check are accepted as they are, and the rest of the job runs unchecked.</summary>
    public static async Task<Ok<JobProgress>> AcceptUncheckedAsync(Guid jobId, ClaimsPrincipal user, CheckWaiver waiver, JobService jobs,
        CancellationToken cancellationToken)
    {
        await waiver.WaiveAsync(user.UserId(), jobId, cancellationToken);
        return TypedResults.Ok(await jobs.GetAsync(user.UserId(), jobId, cancellationToken));
    }
}
