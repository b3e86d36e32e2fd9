using MudBlazor.Services;

namespace FleetMarket.Web.Hosting;

public static class UiExtensions
{
    public static WebApplicationBuilder AddFleetUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }
}
