using Bunit;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Components.Pages.Finance;
using FleetMarket.Web.Components.Shared;
using FleetMarket.Web.Features.Payouts;
using MudBlazor;

namespace FleetMarket.Tests.Components;

public sealed class AnomalyChipsTests : MudTestContext
{
    [Fact]
    public void AnomalyChips_TwoFlags_ShowTwoChipsEachExplainingItself()
    {
        Render<MudPopoverProvider>();

        var chips = Render<AnomalyChips>(p => p.Add(c => c.Anomalies, PayoutAnomalies.MeteringBeyondBenchmark | PayoutAnomalies.FarAboveUsual));

        var rendered = chips.FindAll(".mud-chip");
        Assert.Equal(["Metering", "Above usual"], rendered.Select(c => c.TextContent.Trim()));
        Assert.Equal(PayoutAnomalyText.Explanation(PayoutAnomalies.MeteringBeyondBenchmark), rendered[0].GetAttribute("title"));
        Assert.Contains("3× the owner's average paid payout", rendered[1].GetAttribute("title"));
    }

    [Fact]
    public void AnomalyChips_NoFlags_SaysNone()
    {
        var chips = Render<AnomalyChips>(p => p.Add(c => c.Anomalies, PayoutAnomalies.None));

        Assert.Empty(chips.FindAll(".mud-chip"));
        Assert.Contains("None", chips.Markup);
    }

    [Fact]
    public void PayoutAnomalyText_EveryFlag_HasALabelAndAnExplanation() =>
        Assert.All(Enum.GetValues<PayoutAnomalies>().Where(f => f != PayoutAnomalies.None), flag =>
        {
            Assert.NotEqual(flag.ToString(), PayoutAnomalyText.Label(flag));
            Assert.False(string.IsNullOrWhiteSpace(PayoutAnomalyText.Explanation(flag)));
        });

    [Theory]
    [InlineData(PayoutStatus.PendingReview, "Pending review")]
    [InlineData(PayoutStatus.Held, "On hold")]
    [InlineData(PayoutStatus.Paid, "Paid")]
    public void PayoutStatusChip_Status_ReadsAsPeopleSayIt(PayoutStatus status, string label) =>
        Assert.Equal(label, Render<PayoutStatusChip>(p => p.Add(c => c.Status, status)).Find(".mud-chip").TextContent.Trim());
}
