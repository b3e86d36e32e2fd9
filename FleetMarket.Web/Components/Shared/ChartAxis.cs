using FleetMarket.Domain.Money;
using MudBlazor;

namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// Charts plot whole numbers (minor units, basis points) and write only their axis labels as amounts or shares: about
/// four ticks at a round step, so a few cents or a few hundredths of a percent stay visible and thousands stay readable.
/// </summary>
public static class ChartAxis
{
    private static readonly int[] RoundSteps = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000];

    /// <summary>
    /// Amounts in minor units of <paramref name="currency"/>, labelled in its major unit: "0.25" or "40" in USD; with the
    /// currency's decimals only while a step is below one major unit.
    /// </summary>
    public static BarChartOptions Amounts(IEnumerable<ChartSeries<double>> series, string currency)
    {
        var step = Step(series);
        var unit = IsoCurrency.Of(currency);
        var format = step < unit.MinorPerMajor ? "0." + new string('0', unit.Exponent) : "0";
        return new BarChartOptions { YAxisTicks = step, YAxisToStringFunc = minor => (minor / unit.MinorPerMajor).ToString(format) };
    }

    /// <summary>Shares in basis points (hundredths of a percent), labelled "0.05 %" or "40 %".</summary>
    public static BarChartOptions BasisPoints(IEnumerable<ChartSeries<double>> series)
    {
        var step = Step(series);
        return new BarChartOptions { YAxisTicks = step, YAxisToStringFunc = points => (points / 100).ToString(step < 100 ? "0.##" : "0") + " %" };
    }

    /// <summary>Whole counts (units, devices), labelled as they are.</summary>
    public static BarChartOptions Counts(IEnumerable<ChartSeries<double>> series) =>
        new() { YAxisTicks = Step(series), YAxisToStringFunc = count => count.ToString("0") };

    /// <summary>
    /// How much to multiply figures by so that the largest is at least 4 whole steps (the chart's ticks are whole
    /// numbers): 1 for counts, 10 or 100 for a rate of a few tenths or hundredths per second.
    /// </summary>
    public static double ScaleFor(IEnumerable<double> values)
    {
        var max = values.DefaultIfEmpty(0).Max();
        return max >= 4 || max <= 0 ? 1 : max >= 0.4 ? 10 : max >= 0.04 ? 100 : 1000;
    }

    /// <summary>A line chart of figures multiplied by <paramref name="scale"/>, labelled as they were with <paramref name="unit"/> after.</summary>
    public static LineChartOptions Line(IEnumerable<ChartSeries<double>> series, double scale = 1, string unit = "")
    {
        var step = Step(series);
        var format = scale switch { >= 1000 => "0.###", >= 100 => "0.##", >= 10 => "0.#", _ => "0" };
        return new LineChartOptions
        {
            YAxisTicks = step,
            YAxisToStringFunc = value => (value / scale).ToString(format) + unit,
            ShowDataMarkers = false,
            LineStrokeWidth = 2,
        };
    }

    private static int Step(IEnumerable<ChartSeries<double>> series)
    {
        var max = series.SelectMany(s => s.Data).DefaultIfEmpty(0).Max();
        return RoundSteps.FirstOrDefault(candidate => candidate * 4 >= max, (int)Math.Ceiling(max / 4));
    }
}
