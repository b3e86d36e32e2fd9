using Bunit;
using FleetMarket.Web.Components.Pages.Finance;
using FleetMarket.Web.Components.Pages.Owner;
using FleetMarket.Web.Features.Devices;

namespace FleetMarket.Tests.Components;

/// <summary>Reliability as finance sees it beside a payout and as owners and finance see it per device.</summary>
public sealed class ReliabilityChipTests : MudTestContext
{
    [Theory]
    [InlineData(2, 0.94, 0, "Reliability 94 %", "success")]
    [InlineData(2, 0.75, 0, "Reliability 75 %", "warning")]
    [InlineData(3, 0.25, 2, "Reliability 25 % · 2 failing", "error")]
    [InlineData(1, null, 0, "Reliability not checked yet", "default")]
    public void OwnerReliabilityChip_LowestScoreAndFailing_ReadAndColourTheChip(int devices, double? lowest, int failing, string label, string colour)
    {
        var chip = Render<OwnerReliabilityChip>(p => p.Add(c => c.Reliability, new OwnerReliability(devices, lowest, failing))).Find(".mud-chip");

        Assert.Equal(label, chip.TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", chip.ClassName);
    }

    [Fact]
    public void OwnerReliabilityChip_NoDevices_SaysSoWithoutAChip()
    {
        var cell = Render<OwnerReliabilityChip>(p => p.Add(c => c.Reliability, OwnerReliability.NoDevices));

        Assert.Empty(cell.FindAll(".mud-chip"));
        Assert.Contains("No devices", cell.Markup);
    }

    [Fact]
    public void DeviceReliabilityCell_TrustedDevice_ShowsScoreTrustAndTheCounts()
    {
        var cell = Render<DeviceReliabilityCell>(p => p.Add(c => c.Reliability, new DeviceReliability(48, 2, 0, ValidStreak: 12)));

        Assert.Equal("94 % · trusted", cell.Find(".mud-chip").TextContent.Trim());
        Assert.Contains("48 checked results agreed, 2 rejected, 0 timed out", cell.Markup);
        Assert.DoesNotContain("Failing", cell.Markup);
    }

    [Fact]
    public void DeviceReliabilityCell_FailingDevice_SaysItGetsLessWork()
    {
        var cell = Render<DeviceReliabilityCell>(p => p.Add(c => c.Reliability, new DeviceReliability(1, 3, 1, ValidStreak: 0)));

        Assert.Equal("28 % · failing", cell.Find(".mud-chip").TextContent.Trim());
        Assert.Contains("1 checked result agreed, 3 rejected, 1 timed out", cell.Markup);
        Assert.Contains($"Failing: {ReliabilityText.FailingConsequence}", cell.Markup);
    }

    [Fact]
    public void DeviceReliabilityCell_NewDevice_SaysNotCheckedRatherThanTheSmoothedFiftyPercent()
    {
        var cell = Render<DeviceReliabilityCell>(p => p.Add(c => c.Reliability, new DeviceReliability(0, 0, 0, ValidStreak: 0)));

        Assert.Equal("Not checked yet", cell.Find(".mud-chip").TextContent.Trim());
        Assert.DoesNotContain("50 %", cell.Markup);
    }

    [Theory]
    [InlineData(0.8, "80 %")]
    [InlineData(0.29, "29 %")]
    [InlineData(0.7999, "79 %")]
    public void Percent_RoundsDown_SoNothingUnderTheLineReadsAsOnIt(double score, string text) =>
        Assert.Equal(text, ReliabilityText.Percent(score));
}
