using System.Globalization;
using System.Security.Claims;
using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Features.Finance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.Earnings;

/// <summary>
/// An owner's monthly statement as CSV. The owner is whoever is signed in: there is no owner in the address, so no
/// owner can ask for another's.
/// </summary>
public static class StatementsApi
{
    public const string Path = "/owner/statements/{month}.csv";

    public static string PathFor(DateOnly month) => $"/owner/statements/{month:yyyy-MM}.csv";

    public static IEndpointRouteBuilder MapStatementsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, DownloadAsync).RequireAuthorization(Roles.Owner).ExcludeFromDescription();
        return app;
    }

    /// <summary><paramref name="month"/> is <c>yyyy-MM</c>, e.g. 2026-11.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadAsync(string month, ClaimsPrincipal user,
        OwnerStatements statements, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return TypedResults.Problem("Name the month as yyyy-MM, e.g. 2026-11.", statusCode: StatusCodes.Status400BadRequest,
                title: "The request is malformed.");
        }

        var statement = await statements.StatementAsync(user.FindFirstValue(ClaimTypes.NameIdentifier)!, first, cancellationToken);
        return TypedResults.Stream(body => StatementCsv.WriteAsync(body, statement, cancellationToken), "text/csv",
            $"fleetmarket-statement-{first:yyyy-MM}.csv");
    }
}
