namespace FleetMarket.Domain.Reservations;

/// <summary>
/// Finds free device-hours and picks the ones a reservation gets: the cheapest eligible devices first, and
/// of equal price the faster one, each hour only where the owner's weekly windows and departures allow it.
/// The database still has the last word: a slot is unique there, so two buyers matching at once cannot both
/// keep the same one.
/// </summary>
public static class CapacityMatcher
{
    /// <summary>Every device-hour in [<paramref name="from"/>, <paramref name="to"/>) that is eligible, allowed and not taken.</summary>
    public static IEnumerable<SlotOffer> FreeSlots(IEnumerable<DeviceOffer> offers, CapacityRequirements requirements,
        IReadOnlySet<SlotKey> taken, DateTimeOffset from, DateTimeOffset to)
    {
        var starts = CapacityClock.SlotStarts(from, to).ToList();
        foreach (var offer in offers.Where(o => o.Meets(requirements)))
        {
            foreach (var start in starts)
            {
                if (!taken.Contains(new SlotKey(offer.DeviceId, start)) && offer.Policy.AllowsSlot(start, CapacityClock.SlotLength))
                {
                    yield return new SlotOffer(offer, start);
                }
            }
        }
    }

    /// <summary>
    /// The slots for <paramref name="request"/> (its prices in <paramref name="currency"/>), or a <see cref="DomainException"/>
    /// saying how many could be found.
    /// </summary>
    public static IReadOnlyList<SlotOffer> Match(ReservationRequest request, IEnumerable<DeviceOffer> offers,
        IReadOnlySet<SlotKey> taken, DateTimeOffset now, string currency)
    {
        if (request.Problem(now, currency) is { } problem)
        {
            throw new DomainException(problem);
        }

        var chosen = FreeSlots(offers, request.Requirements, taken, CapacityClock.FirstSlotFrom(request.WindowStart, now), request.WindowEnd)
            .OrderBy(slot => slot.Device.PricePerHourMinor)
            .ThenByDescending(slot => slot.Device.BenchmarkScore ?? 0)
            .ThenBy(slot => slot.StartsAt)
            .ThenBy(slot => slot.Device.DeviceId)
            .Take(request.DeviceHours)
            .ToList();

        return chosen.Count == request.DeviceHours
            ? chosen
            : throw new DomainException(
                $"Only {chosen.Count} device-hours meet the requirements in that window; ask for fewer hours, widen the window or relax the requirements.");
    }
}
