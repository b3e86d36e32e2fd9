namespace FleetMarket.Domain.Reservations;

/// <summary>Where a reservation stands as its buyer sees it.</summary>
public enum ReservationState
{
    Upcoming,
    Active,
    Ended,
    Cancelled,
}
