using MudBlazor;

namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// Money charts plot minor units (cents) and write only their axis labels as amounts: about four ticks at a round
/// step of cents, so a few cents stay visible and thousands stay readable.
/// </summary>
public static class CentsAxis
{
    private static readonly int[] RoundCentSteps = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000];

    public static BarChartOptions For(IEnumerable<ChartSeries<double>> series)
    {
        var max = series.SelectMany(s => s.Data).DefaultIfEmpty(0).Max();
        var step = RoundCentSteps.FirstOrDefault(candidate => candidate * 4 >= max, (int)Math.Ceiling(max / 4));
        return new BarChartOptions { YAxisTicks = step, YAxisToStringFunc = cents => (cents / 100).ToString(step < 100 ? "0.00" : "0") };
    }
}
