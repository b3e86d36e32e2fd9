using FleetMarket.Web.Components.Shared;

namespace FleetMarket.Tests.Components;

/// <summary>Benchmark scores read as speeds beside the reference device, whatever their size.</summary>
public sealed class SpeedTextTests
{
    [Theory]
    [InlineData(100_000_000, "1×")] // the reference device itself
    [InlineData(250_000_000, "2.5×")]
    [InlineData(85_000_000, "0.85×")]
    [InlineData(4_000_000, "0.04×")]
    [InlineData(850, "< 0.01×")] // slower than anything worth renting, but not nothing
    public void Relative_ScoreBesideTheReference(double score, string shown) => Assert.Equal(shown, SpeedText.Relative(score));
}
