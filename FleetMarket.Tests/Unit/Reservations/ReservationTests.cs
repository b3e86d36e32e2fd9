using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Tests.Unit.Reservations;

public sealed class ReservationTests
{
    private static readonly DateTimeOffset Ten = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_HoldsEverySlotAtItsDevicesPrice()
    {
        var reservation = Reserve((100, 0), (100, 1), (250, 0));

        Assert.Equal(450, reservation.HeldMinor);
        Assert.Equal(3, reservation.DeviceHours);
    }

    [Fact]
    public void Cancel_GivesBackEveryHourNotYetEnded_KeepsThoseThatHave()
    {
        var reservation = Reserve((100, 0), (100, 1), (100, 2));

        reservation.Cancel(Ten.AddMinutes(70));

        Assert.Equal(ReservationState.Cancelled, reservation.StateAt(Ten.AddMinutes(70)));
        Assert.Equal([Ten], reservation.Slots.Select(s => s.StartsAt));
        Assert.Equal(0, reservation.RemainingHoursAt(Ten.AddMinutes(70)));
        Assert.Equal(3, reservation.DeviceHours);
    }

    [Fact]
    public void Cancel_Twice_Refused()
    {
        var reservation = Reserve((100, 0));
        reservation.Cancel(Ten);

        Assert.Throws<DomainException>(() => reservation.Cancel(Ten));
    }

    [Fact]
    public void States_FollowTheWindow()
    {
        var reservation = Reserve((100, 1), (100, 2));

        Assert.Equal(ReservationState.Upcoming, reservation.StateAt(Ten.AddMinutes(-30)));
        Assert.Equal(ReservationState.Active, reservation.StateAt(Ten.AddMinutes(30)));
        Assert.Equal(2, reservation.RemainingHoursAt(Ten.AddMinutes(90)));
        Assert.Equal(1, reservation.RemainingHoursAt(Ten.AddMinutes(150)));
        Assert.Equal(ReservationState.Ended, reservation.StateAt(Ten.AddHours(3)));
        Assert.Throws<DomainException>(() => reservation.Cancel(Ten.AddHours(3)));
    }

    private static Reservation Reserve(params (long Price, int Hour)[] slots)
    {
        var request = new ReservationRequest(slots.Length, Ten, Ten.AddHours(3), new CapacityRequirements(MaxPricePerHourMinor: 500));
        var offers = slots.Select(slot => new SlotOffer(
            new DeviceOffer(Guid.NewGuid(), DeviceKind.Pc, "RTX", "CUDA", 100, 8_000, "eu", slot.Price, AvailabilityPolicy.Always),
            Ten.AddHours(slot.Hour))).ToList();
        return new Reservation("buyer-1", request, offers, "USD", Ten.AddMinutes(-60));
    }
}
