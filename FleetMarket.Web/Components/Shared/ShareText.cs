namespace FleetMarket.Web.Components.Shared;

/// <summary>A share as people read it: whole percent once it is large, decimals while it is small, never "0 %" for something.</summary>
public static class ShareText
{
    public static string Percent(int basisPoints) => basisPoints switch
    {
        <= 0 => "0 %",
        < 10 => $"{basisPoints / 100m:0.00} %",
        < 1_000 => $"{basisPoints / 100m:0.0} %",
        _ => $"{basisPoints / 100} %",
    };
}
