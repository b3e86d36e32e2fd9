using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace FleetMarket.Tests.Components;

/// <summary>bUnit with MudBlazor's services, as MudBlazor's own tests set it up.</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
