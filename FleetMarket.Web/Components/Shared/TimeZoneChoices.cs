namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// The time zones people pick from: the IANA names of places (Europe/Berlin, America/New_York) and UTC, without the
/// aliases a system also knows (US/Pacific, Etc/GMT+5), each described with its offset from UTC today.
/// </summary>
public static class TimeZoneChoices
{
    private static readonly string[] Regions = ["Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"];

    public static IReadOnlyList<string> All { get; } = Load();

    /// <summary>"Europe/Berlin (UTC+01:00)": the offset today, which may differ in summer.</summary>
    public static string Describe(string zoneId)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return zoneId;
        }

        var offset = zone.GetUtcOffset(DateTimeOffset.UtcNow);
        return zoneId == "UTC" ? "UTC" : $"{zoneId} (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm})";
    }

    /// <summary>The zones whose name or offset contains the text, a space matching the underscore of "New_York".</summary>
    public static IEnumerable<string> Matching(string text)
    {
        var wanted = text.Trim().Replace(' ', '_');
        return All.Where(id => Describe(id).Contains(wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static string[] Load()
    {
        var places = TimeZoneInfo.GetSystemTimeZones()
            .Select(zone => zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : null)
            .OfType<string>()
            .Where(id => id.IndexOf('/') is > 0 and var slash && Regions.Contains(id[..slash]))
            .Distinct()
            .Order(StringComparer.Ordinal);
        return ["UTC", .. places];
    }
}
