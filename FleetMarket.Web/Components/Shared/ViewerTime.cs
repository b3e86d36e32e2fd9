namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// The viewer's time zone, as their browser names it (a cookie set by viewer-zone.js; UTC until the browser has sent
/// it once), cascaded to every page so that times read as the viewer's clock shows them, with the zone named.
/// </summary>
public sealed class ViewerTime(TimeZoneInfo zone)
{
    public const string Cookie = "fm_tz";

    public static ViewerTime Utc { get; } = new(TimeZoneInfo.Utc);

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The zone as people know it: "Europe/Oslo", or "UTC".</summary>
    public string ZoneName => Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;

    public DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"2026-12-07 16:04 Europe/Oslo".</summary>
    public string Format(DateTimeOffset at) => $"{ToLocal(at):yyyy-MM-dd HH:mm} {ZoneName}";

    /// <summary>The zone a cookie names, if it is one this server knows; UTC otherwise.</summary>
    public static ViewerTime FromCookie(string? zoneId) =>
        zoneId is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? new ViewerTime(zone) : Utc;
}
