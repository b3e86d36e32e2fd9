using System.Security.Claims;
using FleetMarket.Web.Csv;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.Balance;

/// <summary>A buyer's balance as the API answers it: available and held (escrow) amounts in integer minor units.</summary>
public sealed record BuyerBalance(long AvailableMinor, long HeldMinor, string Currency)
{
    public static BuyerBalance From(BuyerFunds funds) => new(funds.Available.Minor, funds.Held.Minor, funds.Available.Currency);
}

public static class BalanceApi
{
    public static IEndpointRouteBuilder MapBalanceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/balance", GetAsync).RequireAuthorization(EndpointPolicies.BuyerApi)
            .RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Balance");
        app.MapGet(HistoryCsvPath, DownloadHistoryAsync).RequireAuthorization(EndpointPolicies.BuyerApi)
            .RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Balance").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    public const string HistoryCsvPath = "/api/balance/history.csv";

    /// <summary>Available and held (escrow) amounts, in integer minor units.</summary>
    public static async Task<Ok<BuyerBalance>> GetAsync(ClaimsPrincipal user, BalanceService balances, CancellationToken cancellationToken) =>
        TypedResults.Ok(BuyerBalance.From(await balances.GetAsync(user.UserId(), cancellationToken)));

    /// <summary>Every movement of the balance (the latest 100,000), newest first, as CSV: top-ups, holds, releases and each job's usage.</summary>
    public static async Task<PushStreamHttpResult> DownloadHistoryAsync(ClaimsPrincipal user, BalanceService balances,
        CancellationToken cancellationToken)
    {
        var history = await balances.HistoryAsync(user.UserId(), BalanceService.ExportedMovements, cancellationToken);
        return TypedResults.Stream(body => CsvFiles.WriteAsync(body, history.Select(BalanceHistoryCsvRow.From).ToAsyncEnumerable(), cancellationToken),
            "text/csv", "fleetmarket-balance-history.csv");
    }
}
