using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Reservations;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Reservations;

/// <summary>
/// A device and how many of its hours are free to reserve in the coming week. <see cref="BenchmarkScore"/> is the
/// score it is ranked by; where <see cref="ScoreDisputed"/>, that is the score its work implies and not its <see cref="ClaimedScore"/>.
/// </summary>
public sealed record DeviceCapacity(Guid DeviceId, DeviceKind Kind, string Accelerator, string? ExecutionProvider,
    double? BenchmarkScore, int MemoryMb, string Region, Money PricePerHour, int FreeHours, double ScorePerPrice,
    double? ClaimedScore = null, bool ScoreDisputed = false);

public sealed record CapacityDay(DateOnly Day, int FreeHours);

/// <summary>
/// The capacity browser's week as pages show it; the API answers it as a <see cref="CapacityView"/>. Prices are in
/// <paramref name="Currency"/>, the marketplace's, which the filters are read in too.
/// </summary>
public sealed record CapacityOverview(IReadOnlyList<DeviceCapacity> Devices, IReadOnlyList<CapacityDay> ByDay, int FreeHours,
    IReadOnlyList<string> Regions, IReadOnlyList<string> ExecutionProviders, string Currency, DateTimeOffset From);

/// <summary>
/// What capacity there is to reserve: paired devices with their owners' policies, minus the hours already
/// sold. Read by the capacity browser and by reservations, which then let the database settle any race.
/// </summary>
public sealed class CapacityService(FleetDbContext db, TimeProvider time, IOptions<MarketplaceOptions> marketplace,
    MeasuredScores measured)
{
    /// <summary>The free capacity of the next seven days that meets <paramref name="requirements"/>, best score per price first.</summary>
    public async Task<CapacityOverview> BrowseAsync(CapacityRequirements requirements, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var from = CapacityClock.SlotStartOf(time.GetUtcNow());
        var to = from + CapacityClock.Horizon;
        var offers = await OffersAsync(CapacityRequirements.Any, cancellationToken);
        var taken = await TakenAsync(offers, from, to, cancellationToken);
        var free = CapacityMatcher.FreeSlots(offers, requirements, taken, from, to).ToList();

        var devices = free.GroupBy(slot => slot.Device.DeviceId)
            .Select(group => (Device: group.First().Device, FreeHours: group.Count()))
            .Select(x => new DeviceCapacity(x.Device.DeviceId, x.Device.Kind, x.Device.Accelerator, x.Device.ExecutionProvider,
                x.Device.BenchmarkScore, x.Device.MemoryMb, x.Device.Region, new Money(x.Device.PricePerHourMinor, currency), x.FreeHours,
                x.Device.ScorePerPrice, x.Device.ClaimedScore ?? x.Device.BenchmarkScore, x.Device.ScoreDisputed))
            .OrderByDescending(offer => offer.ScorePerPrice)
            .ThenBy(offer => offer.PricePerHour.Minor)
            .ToList();
        var perDay = free.CountBy(slot => DateOnly.FromDateTime(slot.StartsAt.UtcDateTime)).ToDictionary();
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        var lastDay = DateOnly.FromDateTime((to - CapacityClock.SlotLength).UtcDateTime);
        var byDay = Enumerable.Range(0, lastDay.DayNumber - firstDay.DayNumber + 1)
            .Select(offset => firstDay.AddDays(offset))
            .Select(day => new CapacityDay(day, perDay.GetValueOrDefault(day)))
            .ToList();

        return new CapacityOverview(devices, byDay, free.Count,
            Distinct(offers.Select(o => o.Region)), Distinct(offers.Select(o => o.ExecutionProvider)),
            currency, from);
    }

    /// <summary>
    /// Devices that can be booked: paired, not suspended, priced in the marketplace's currency; each scored by
    /// its benchmark claim, or by the score its work implies where the two disagree (see <see cref="DeviceScore"/>).
    /// </summary>
    public async Task<IReadOnlyList<DeviceOffer>> OffersAsync(CapacityRequirements requirements, CancellationToken cancellationToken = default)
    {
        var currency = marketplace.Value.Currency;
        var devices = db.Devices.AsNoTracking()
            .Where(d => d.CredentialHash != null && d.Status != DeviceStatus.Suspended && d.Currency == currency);
        if (requirements.MaxPricePerHourMinor is { } price)
        {
            devices = devices.Where(d => d.AskingPricePerHourMinor <= price);
        }

        if (requirements.MinimumMemoryMb is { } memory)
        {
            devices = devices.Where(d => d.MemoryMb >= memory);
        }

        var claimed = await devices
            .Select(d => new DeviceOffer(d.Id, d.Kind, d.Accelerator, d.ExecutionProvider, d.BenchmarkScore, d.MemoryMb, d.Region,
                d.AskingPricePerHourMinor, d.Policy))
            .ToListAsync(cancellationToken);
        var scores = await measured.ScoresAsync(claimed.ToDictionary(o => o.DeviceId, o => o.BenchmarkScore), cancellationToken);
        return claimed.Select(o => scores[o.DeviceId] is { Disputed: true } score
            ? o with { BenchmarkScore = score.Effective, ScoreDisputed = true, ClaimedScore = o.BenchmarkScore }
            : o).ToList();
    }

    /// <summary>The hours of <paramref name="offers"/> already sold in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<IReadOnlySet<SlotKey>> TakenAsync(IReadOnlyList<DeviceOffer> offers, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        var slotsFrom = from - CapacityClock.SlotLength;
        var sold = await db.ReservedSlots.AsNoTracking()
            .Where(s => s.StartsAt > slotsFrom && s.StartsAt < to)
            .Select(s => new { s.DeviceId, s.StartsAt })
            .ToListAsync(cancellationToken);
        var offered = offers.Select(o => o.DeviceId).ToHashSet();
        return sold.Where(s => offered.Contains(s.DeviceId)).Select(s => new SlotKey(s.DeviceId, s.StartsAt)).ToHashSet();
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
}
