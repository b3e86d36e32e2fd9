using FleetMarket.Domain;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Tests.Unit.Reservations;

public sealed class CapacityMatcherTests
{
    // 2026-11-23 is a Monday; 10:20 is mid-hour, so the slot under way starts at 10:00.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 20, 0, TimeSpan.Zero);
    private static readonly HashSet<SlotKey> NothingTaken = [];

    [Fact]
    public void Match_CheapestDevicesFirst_AndOfEqualPriceTheFasterOne()
    {
        var dear = Offer(price: 300, score: 900);
        var cheapSlow = Offer(price: 100, score: 10);
        var cheapFast = Offer(price: 100, score: 50);

        var slots = CapacityMatcher.Match(Request(hours: 4, windowHours: 2), [dear, cheapSlow, cheapFast], NothingTaken, Now, "USD");

        Assert.Equal([cheapFast.DeviceId, cheapFast.DeviceId, cheapSlow.DeviceId, cheapSlow.DeviceId], slots.Select(s => s.Device.DeviceId));
    }

    [Fact]
    public void Match_WindowStartedAlready_IncludesTheSlotUnderWay()
    {
        var slots = CapacityMatcher.Match(Request(hours: 1, windowHours: 1), [Offer()], NothingTaken, Now, "USD");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), slots.Single().StartsAt);
    }

    [Fact]
    public void Match_SkipsHoursAlreadySold()
    {
        var device = Offer();
        var taken = new HashSet<SlotKey> { new(device.DeviceId, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)) };

        var slots = CapacityMatcher.Match(Request(hours: 1, windowHours: 2), [device], taken, Now, "USD");

        Assert.Equal(11, slots.Single().StartsAt.Hour);
    }

    [Fact]
    public void Match_HonoursTheOwnersWindowsAndDepartures()
    {
        // Free 10:00–14:00 UTC on Mondays, and the car leaves at 12:30: the hour across the departure cannot be sold.
        var policy = AvailabilityPolicy.Always with
        {
            Windows = [new WeeklyWindow(DayOfWeek.Monday, new TimeOnly(10, 0), new TimeOnly(14, 0))],
            Departures = [new Departure(DayOfWeek.Monday, new TimeOnly(12, 30))],
        };

        var free = CapacityMatcher.FreeSlots([Offer(policy: policy)], CapacityRequirements.Any, NothingTaken,
            CapacityClock.SlotStartOf(Now), Now + TimeSpan.FromHours(8)).ToList();

        Assert.Equal([10, 11, 13], free.Select(s => s.StartsAt.Hour));
    }

    [Fact]
    public void Match_RequirementsFilterDevices()
    {
        var gpu = Offer(provider: "CUDA", score: 500, memoryMb: 16_000, region: "eu-west");
        var requirements = new CapacityRequirements(MinimumScore: 100, ExecutionProvider: "cuda", MinimumMemoryMb: 8_000,
            Region: "EU-WEST", MaxPricePerHourMinor: 200);
        DeviceOffer[] others = [Offer(provider: "CPU"), Offer(provider: "CUDA", score: 50), Offer(provider: "CUDA", score: 500, price: 250)];

        var slots = CapacityMatcher.Match(Request(hours: 2, windowHours: 2, requirements), [.. others, gpu], NothingTaken, Now, "USD");

        Assert.All(slots, slot => Assert.Equal(gpu.DeviceId, slot.Device.DeviceId));
    }

    [Fact]
    public void Match_NotEnoughCapacity_SaysHowMuchThereIs()
    {
        var refused = Assert.Throws<DomainException>(() =>
            CapacityMatcher.Match(Request(hours: 5, windowHours: 2), [Offer()], NothingTaken, Now, "USD"));

        Assert.StartsWith("Only 2 device-hours", refused.Message);
    }

    [Theory]
    [InlineData(-3, -1, "in the past")]
    [InlineData(1, 1, "end after it starts")]
    [InlineData(1, 24 * 8, "7 days ahead")]
    public void Match_ImpossibleWindow_ExplainsWhy(int startHours, int endHours, string expected)
    {
        var request = new ReservationRequest(1, Now.AddHours(startHours), Now.AddHours(endHours), new CapacityRequirements(MaxPricePerHourMinor: 500));

        var refused = Assert.Throws<DomainException>(() => CapacityMatcher.Match(request, [Offer()], NothingTaken, Now, "USD"));

        Assert.Contains(expected, refused.Message);
    }

    private static ReservationRequest Request(int hours, int windowHours, CapacityRequirements? requirements = null) =>
        new(hours, Now, CapacityClock.SlotStartOf(Now).AddHours(windowHours), requirements ?? new CapacityRequirements(MaxPricePerHourMinor: 500));

    private static DeviceOffer Offer(long price = 120, double score = 40, string provider = "CPU", int memoryMb = 4_096,
        string region = "us-west", AvailabilityPolicy? policy = null) =>
        new(Guid.NewGuid(), DeviceKind.Car, "HW4", provider, score, memoryMb, region, price, policy ?? AvailabilityPolicy.Always);
}
