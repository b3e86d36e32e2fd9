using MudBlazor;

namespace FleetMarket.Web.Components.Layout;

/// <summary>One palette for the whole portal: deep teal for the brand, amber for money that needs attention.</summary>
public static class FleetTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f766e",
            Secondary = "#475569",
            Tertiary = "#d97706",
            AppbarBackground = "#0b3b3a",
            Background = "#f6f8f8",
            DrawerBackground = "#ffffff",
            Success = "#15803d",

            // MudBlazor's own info, warning and error (#2196f3, #ff9800, #f44336) read at 2.2–3.7:1 on white and on
            // their alerts' tints; these darker tones pass WCAG's 4.5:1 for text.
            Info = "#1d4ed8",
            Warning = "#b45309",
            Error = "#b91c1c",
        },
        Typography = new Typography
        {
            // System fonts: the portal loads nothing from outside.
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
