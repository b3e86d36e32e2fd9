using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FleetMarket.Domain;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Reservations;

/// <summary>The capacity filters of the API's query string; each is optional.</summary>
public sealed record CapacityFilter(double? MinimumScore, string? ExecutionProvider, int? MinimumMemoryMb, string? Region,
    long? MaxPricePerHourMinor)
{
    public CapacityRequirements ToRequirements() => new(MinimumScore, NullIfBlank(ExecutionProvider), MinimumMemoryMb,
        NullIfBlank(Region), MaxPricePerHourMinor);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Buyers' programmatic access to capacity and their reservations.</summary>
public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/capacity", BrowseAsync).RequireAuthorization(EndpointPolicies.BuyerApi)
            .RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Capacity");

        var reservations = app.MapGroup("/api/reservations").RequireAuthorization(EndpointPolicies.BuyerApi)
            .RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Reservations");
        reservations.MapPost("/", ReserveAsync).DisableAntiforgery();
        reservations.MapGet("/", ListAsync);
        reservations.MapGet("/{reservationId:guid}", GetAsync);
        reservations.MapPost("/{reservationId:guid}/cancel", CancelAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Free device-hours of the next seven days meeting the filters, best benchmark score per price first.</summary>
    /// <remarks>
    /// The filters are separate parameters, not <c>[AsParameters] CapacityFilter</c>: validation attributes on an
    /// <c>[AsParameters]</c> record make .NET 10's OpenAPI document generation throw an InvalidCastException.
    /// </remarks>
    public static async Task<Ok<CapacityView>> BrowseAsync(
        [Range(0, FieldLimits.MaxBenchmarkScore)] double? minimumScore,
        [MaxLength(FieldLimits.ExecutionProvider), PlainText] string? executionProvider,
        [Range(0, FieldLimits.MaxMemoryMb)] int? minimumMemoryMb,
        [MaxLength(FieldLimits.Region), PlainText] string? region,
        long? maxPricePerHourMinor, CapacityService capacity, IOptions<MarketplaceOptions> marketplace, CancellationToken cancellationToken)
    {
        var requirements = new CapacityFilter(minimumScore, executionProvider, minimumMemoryMb, region, maxPricePerHourMinor).ToRequirements();
        return requirements.Problem(marketplace.Value.Currency) is { } problem
            ? throw new DomainException(problem)
            : TypedResults.Ok(await capacity.BrowseAsync(requirements, cancellationToken));
    }

    /// <summary>Books device-hours in a window, cheapest eligible devices first, and holds their price from the balance.</summary>
    public static async Task<Created<ReservationDetail>> ReserveAsync(ReservationRequest request, ClaimsPrincipal user,
        ReservationService reservations, CancellationToken cancellationToken)
    {
        var id = await reservations.ReserveAsync(user.UserId(), request, cancellationToken);
        return TypedResults.Created($"/api/reservations/{id}", await reservations.GetAsync(user.UserId(), id, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<ReservationSummary>>> ListAsync(ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await reservations.ListAsync(user.UserId(), cancellationToken));

    public static async Task<Ok<ReservationDetail>> GetAsync(Guid reservationId, ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await reservations.GetAsync(user.UserId(), reservationId, cancellationToken));

    /// <summary>Gives back the hours not yet ended and stops the reservation's jobs; unspent money returns at the next settlement.</summary>
    public static async Task<Ok<ReservationDetail>> CancelAsync(Guid reservationId, ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken)
    {
        await reservations.CancelAsync(user.UserId(), reservationId, cancellationToken);
        return TypedResults.Ok(await reservations.GetAsync(user.UserId(), reservationId, cancellationToken));
    }

}
