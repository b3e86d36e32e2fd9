namespace FleetMarket.Web.Features.Reservations;

public static class ReservationsRegistration
{
    /// <summary>Capacity search and reserved slots.</summary>
    public static IServiceCollection AddReservations(this IServiceCollection services)
    {
        services.AddScoped<CapacityService>();
        services.AddScoped<ReservationService>();
        return services;
    }
}
