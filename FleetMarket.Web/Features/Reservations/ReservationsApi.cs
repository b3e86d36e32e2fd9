using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Reservations;

/// <summary>A reservation as the API answers it: amounts in integer minor units beside their currency.</summary>
public sealed record ReservationSummary(Guid Id, string Name, ReservationState State, DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd, int DeviceHours, int RemainingHours, int Devices, long HeldMinor, long SpentMinor,
    long ComputeMilliseconds, int Jobs, string Currency, DateTimeOffset CreatedAt, bool UnspentReturned)
{
    /// <summary>Compute time its jobs have used, in device-hours.</summary>
    public double UsedHours => ComputeMilliseconds / 3_600_000.0;

    public static ReservationSummary From(ReservationView view) => new(view.Id, view.Name, view.State, view.WindowStart, view.WindowEnd,
        view.DeviceHours, view.RemainingHours, view.Devices, view.Held.Minor, view.Spent.Minor, view.ComputeMilliseconds, view.Jobs,
        view.Held.Currency, view.CreatedAt, view.UnspentReturned);
}

/// <summary>The device-hours of one device in a reservation.</summary>
public sealed record ReservedDevice(Guid DeviceId, DeviceKind Kind, string Accelerator, string? ExecutionProvider, string Region,
    double? BenchmarkScore, int Hours, DateTimeOffset From, DateTimeOffset To, long PricePerHourMinor)
{
    public static ReservedDevice Of(ReservedDeviceView view) => new(view.DeviceId, view.Kind, view.Accelerator, view.ExecutionProvider,
        view.Region, view.BenchmarkScore, view.Hours, view.From, view.To, view.PricePerHour.Minor);
}

public sealed record ReservationDetail(ReservationSummary Summary, IReadOnlyList<ReservedDevice> Devices)
{
    public static ReservationDetail From(ReservationDetailView view) =>
        new(ReservationSummary.From(view.Summary), view.Devices.Select(ReservedDevice.Of).ToList());
}

/// <summary>
/// A device and how many of its hours are free to reserve in the coming week, as the API answers it: its price in
/// integer minor units of the <see cref="CapacityView"/>'s currency.
/// </summary>
public sealed record CapacityOffer(Guid DeviceId, DeviceKind Kind, string Accelerator, string? ExecutionProvider,
    double? BenchmarkScore, int MemoryMb, string Region, long PricePerHourMinor, int FreeHours, double ScorePerPrice,
    double? ClaimedScore = null, bool ScoreDisputed = false)
{
    public static CapacityOffer From(DeviceCapacity device) => new(device.DeviceId, device.Kind, device.Accelerator, device.ExecutionProvider,
        device.BenchmarkScore, device.MemoryMb, device.Region, device.PricePerHour.Minor, device.FreeHours, device.ScorePerPrice,
        device.ClaimedScore, device.ScoreDisputed);
}

public sealed record CapacityView(IReadOnlyList<CapacityOffer> Devices, IReadOnlyList<CapacityDay> ByDay, int FreeHours,
    IReadOnlyList<string> Regions, IReadOnlyList<string> ExecutionProviders, string Currency, DateTimeOffset From)
{
    public static CapacityView Of(CapacityOverview overview) => new(overview.Devices.Select(CapacityOffer.From).ToList(), overview.ByDay,
        overview.FreeHours, overview.Regions, overview.ExecutionProviders, overview.Currency, overview.From);
}

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
            : TypedResults.Ok(CapacityView.Of(await capacity.BrowseAsync(requirements, cancellationToken)));
    }

    /// <summary>Books device-hours in a window, cheapest eligible devices first, and holds their price from the balance.</summary>
    public static async Task<Created<ReservationDetail>> ReserveAsync(ReservationRequest request, ClaimsPrincipal user,
        ReservationService reservations, CancellationToken cancellationToken)
    {
        var id = await reservations.ReserveAsync(user.UserId(), request, cancellationToken);
        return TypedResults.Created($"/api/reservations/{id}", ReservationDetail.From(await reservations.GetAsync(user.UserId(), id, cancellationToken)));
    }

    public static async Task<Ok<IReadOnlyList<ReservationSummary>>> ListAsync(ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ReservationSummary>>((await reservations.ListAsync(user.UserId(), cancellationToken))
            .Select(ReservationSummary.From).ToList());

    public static async Task<Ok<ReservationDetail>> GetAsync(Guid reservationId, ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(ReservationDetail.From(await reservations.GetAsync(user.UserId(), reservationId, cancellationToken)));

    /// <summary>Gives back the hours not yet ended and stops the reservation's jobs; unspent money returns at the next settlement.</summary>
    public static async Task<Ok<ReservationDetail>> CancelAsync(Guid reservationId, ClaimsPrincipal user, ReservationService reservations,
        CancellationToken cancellationToken)
    {
        await reservations.CancelAsync(user.UserId(), reservationId, cancellationToken);
        return TypedResults.Ok(ReservationDetail.From(await reservations.GetAsync(user.UserId(), reservationId, cancellationToken)));
    }

}
