namespace FleetMarket.Domain.Reservations;

public enum ReservationStatus
{
    Active,
    Cancelled,
}
