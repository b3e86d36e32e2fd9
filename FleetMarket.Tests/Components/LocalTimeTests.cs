using Bunit;
using FleetMarket.Web.Components.Shared;

namespace FleetMarket.Tests.Components;

/// <summary>Times read in the viewer's zone, named, from the zone their browser reported; UTC when it has not.</summary>
public sealed class LocalTimeTests : MudTestContext
{
    private static readonly DateTimeOffset NineUtc = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LocalTime_InTheViewersZone_NamesTheZone_AndKeepsUtcInTheTooltip()
    {
        var time = Render<LocalTime>(p => p.Add(c => c.At, NineUtc).AddCascadingValue(ViewerTime.FromCookie("Europe/Oslo")));

        Assert.Equal("2026-12-07 10:00 Europe/Oslo", time.Find("time").TextContent);
        Assert.Equal("2026-12-07 09:00:00 UTC", time.Find("time").GetAttribute("title"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    public void ViewerTime_NoOrUnknownZone_IsUtc_AndSaysSo(string? cookie) =>
        Assert.Equal("2026-12-07 09:00 UTC", ViewerTime.FromCookie(cookie).Format(NineUtc));
}
