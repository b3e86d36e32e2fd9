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
    public const string UsagePath = "/finance/export/usage.csv";
    public const int DefaultPostingDays = 30;

    /// <summary>
    /// The days an export may name: wider than any ledger, narrow enough that the arithmetic on them (the day after
    /// the last, 30 days before it) stays inside <see cref="DateOnly"/>'s range instead of throwing.
    /// </summary>
    public static readonly DateOnly FirstDay = new(2000, 1, 1);

    public static readonly DateOnly LastDay = new(9998, 12, 31);

    public static IEndpointRouteBuilder MapFinanceExports(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("").RequireAuthorization(Roles.Finance).ExcludeFromDescription();
        exports.MapGet(PayoutsPath, Payouts);
        exports.MapGet(PostingsPath, Postings);
        exports.MapGet(UsagePath, Usage);
        return app;
    }

    /// <summary>Payouts by run day, optionally of one status; every payout when no range is given.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> Payouts(DateOnly? from, DateOnly? to, PayoutStatus? status, CsvExports exports,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (OutOfRange(from, to) is { } outOfRange)
        {
            return outOfRange;
        }

        return from > to
            ? BadRange()
            : TypedResults.Stream(body => exports.WritePayoutsAsync(body, from, to, status, cancellationToken), "text/csv",
                $"payouts-{Today(time):yyyy-MM-dd}.csv");
    }

    /// <summary>Postings of the transactions made from <paramref name="from"/> to <paramref name="to"/> (UTC days, inclusive); the last 30 days by default.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> Postings(DateOnly? from, DateOnly? to, CsvExports exports, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (OutOfRange(from, to) is { } outOfRange)
        {
            return outOfRange;
        }

        var last = to ?? Today(time);
        var first = from ?? last.AddDays(1 - DefaultPostingDays);
        return first > last
            ? BadRange()
            : TypedResults.Stream(body => exports.WritePostingsAsync(body, first, last, cancellationToken), "text/csv",
                $"postings-{first:yyyy-MM-dd}-to-{last:yyyy-MM-dd}.csv");
    }

    /// <summary>Usage recorded from <paramref name="from"/> to <paramref name="to"/> (UTC days, inclusive), one row per accepted unit; the last 30 days by default.</summary>
    public static Results<PushStreamHttpResult, ProblemHttpResult> Usage(DateOnly? from, DateOnly? to, CsvExports exports, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (OutOfRange(from, to) is { } outOfRange)
        {
            return outOfRange;
        }

        var last = to ?? Today(time);
        var first = from ?? last.AddDays(1 - DefaultPostingDays);
        return first > last
            ? BadRange()
            : TypedResults.Stream(body => exports.WriteUsageAsync(body, first, last, cancellationToken), "text/csv",
                $"usage-{first:yyyy-MM-dd}-to-{last:yyyy-MM-dd}.csv");
    }

    private static ProblemHttpResult? OutOfRange(DateOnly? from, DateOnly? to) =>
        new[] { from, to }.Any(day => day < FirstDay || day > LastDay)
            ? TypedResults.Problem($"Dates must lie between {FirstDay:yyyy-MM-dd} and {LastDay:yyyy-MM-dd}.",
                statusCode: StatusCodes.Status400BadRequest, title: "The request is malformed.")
            : null;

    private static ProblemHttpResult BadRange() =>
        TypedResults.Problem("The range starts after it ends: 'from' must be on or before 'to'.", statusCode: StatusCodes.Status400BadRequest,
            title: "The request is malformed.");

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
