using Bunit;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Components.Pages.Owner;
using FleetMarket.Web.Features.WorkerDownloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FleetMarket.Tests.Components;

/// <summary>The install help offers the workers published on the server, and says what to do when there are none.</summary>
public sealed class WorkerInstallHelpTests : MudTestContext
{
    [Fact]
    public void InstallHelp_PublishedWorkers_AreOfferedByPlatform() => WithPublished(["linux-arm64", "win-x64", "plan9-mips"], help =>
    {
        var links = help.FindAll("[data-testid=worker-downloads] a").Select(a => (a.GetAttribute("href"), a.TextContent.Trim())).ToList();

        // Only the platforms the portal serves, each under a name an owner recognises.
        Assert.Equal([("/downloads/worker/linux-arm64", "Linux ARM64 (car computers, Jetson, Raspberry Pi)"), ("/downloads/worker/win-x64", "Windows x64")], links);
        Assert.Empty(help.FindAll("[data-testid=no-worker-downloads]"));
    });

    [Fact]
    public void InstallHelp_NothingPublished_SaysHowToPublish() => WithPublished([], help =>
    {
        Assert.Contains("scripts/publish-worker.sh", help.Find("[data-testid=no-worker-downloads]").TextContent);
        Assert.Empty(help.FindAll("[data-testid=worker-downloads]"));
    });

    /// <summary>The help, opened, over a folder of published workers as scripts/publish-worker.sh lays them out.</summary>
    private void WithPublished(string[] runtimeIds, Action<IRenderedComponent<WorkerInstallHelp>> check)
    {
        var published = Directory.CreateTempSubdirectory("fleetmarket-worker-builds-");
        try
        {
            foreach (var runtimeId in runtimeIds)
            {
                PublishedWorkers.Publish(published.FullName, runtimeId);
            }

            Services.AddSingleton(new WorkerBuilds(Options.Create(new WorkerDownloadsOptions { Path = published.FullName }),
                new HostingEnvironment { ContentRootPath = published.FullName }));
            var help = Render<WorkerInstallHelp>();
            help.Find(".mud-expand-panel-header").Click();
            check(help);
        }
        finally
        {
            published.Delete(recursive: true);
        }
    }
}
