using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.Finance;

/// <summary>
/// CSV downloads for finance staff, behind the Finance role. Plain GETs that change nothing, so no antiforgery
/// token; portal downloads rather than a public API, so left out of the OpenAPI document.
/// </summary>
public static class FinanceExportsApi
{
    public const string PayoutsPath = "/finance/export/payouts.csv";
    public const string PostingsPath = "/finance/export/postings.csv";
    public const int DefaultPostingDays = 30;

    public static IEndpointRouteBuilder MapFinanceExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("").RequireAuthorization(Roles.Finance).ExcludeFromDescription();
        exports.MapGet(PayoutsPath, Payouts);
        exports.MapGet(PostingsPath, Postings);
        return app;
    }

    /// <summary>Payouts by run day, optionally of one status; every payout when no range is given.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> Payouts(DateOnly? from, DateOnly? to, PayoutStatus? status, CsvExports exports,
        TimeProvider time, CancellationToken cancellationToken) =>
        from > to
            ? BadRange()
            : TypedResults.Stream(body => exports.WritePayoutsAsync(body, from, to, status, cancellationToken), "text/csv",
                $"payouts-{Today(time):yyyy-MM-dd}.csv");

    /// <summary>Postings of the transactions made from <paramref name="from"/> to <paramref name="to"/> (UTC days, inclusive); the last 30 days by default.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> Postings(DateOnly? from, DateOnly? to, CsvExports exports, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var last = to ?? Today(time);
        var first = from ?? last.AddDays(1 - DefaultPostingDays);
        return first > last
            ? BadRange()
            : TypedResults.Stream(body => exports.WritePostingsAsync(body, first, last, cancellationToken), "text/csv",
                $"postings-{first:yyyy-MM-dd}-to-{last:yyyy-MM-dd}.csv");
    }

    private static ProblemHttpResult BadRange() =>
        TypedResults.Problem("The range starts after it ends: 'from' must be on or before 'to'.", statusCode: StatusCodes.Status400BadRequest,
            title: "The request is malformed.");

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
