using FleetMarket.Web.Components.Shared;
using MudBlazor.Services;

namespace FleetMarket.Web.Hosting;

public static class UiExtensions
{
    public static WebApplicationBuilder AddFleetUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddTransient(typeof(Scoped<>));
        return builder;
    }
}
