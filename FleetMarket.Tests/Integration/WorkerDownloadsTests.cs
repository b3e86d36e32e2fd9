using System.Net;
using FleetMarket.Domain.Accounts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.WorkerDownloads;

namespace FleetMarket.Tests.Integration;

/// <summary>Owners download the published worker for their platform; nobody else, and nothing but the published files.</summary>
[Collection(AppCollection.Name)]
public sealed class WorkerDownloadsTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();

    public WorkerDownloadsTests()
    {
        PublishedWorkers.Publish(_app.WorkerBuildsPath, "linux-arm64");
        File.WriteAllText(Path.Combine(_app.WorkerBuildsPath, "secret.txt"), "not for download");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Download_Owner_GetsThePublishedFileUnderItsName()
    {
        using var owner = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Owner));

        using var response = await owner.GetAsync(WorkerDownloadsApi.PathFor("linux-arm64"));

        response.EnsureSuccessStatusCode();
        Assert.Equal(PublishedWorkers.Executable, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("FleetMarket.Worker", response.Content.Headers.ContentDisposition?.FileName);
    }

    [Theory]
    [InlineData("win-x64")] // a platform the portal serves, not published here
    [InlineData("plan9-mips")]
    [InlineData("..%2Fsecret.txt")]
    public async Task Download_NotAPublishedPlatform_IsNotFound(string runtimeId)
    {
        using var owner = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Owner));

        using var response = await owner.GetAsync($"/downloads/worker/{runtimeId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("not for download", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Download_NotAnOwner_IsRefused()
    {
        using var buyer = await TestUsers.SignedInClientAsync(_app, await TestUsers.CreateAsync(_app, Roles.Buyer));
        using var anonymous = _app.NewClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var asBuyer = await buyer.GetAsync(WorkerDownloadsApi.PathFor("linux-arm64"));
        using var asNobody = await anonymous.GetAsync(WorkerDownloadsApi.PathFor("linux-arm64"));

        // Portal addresses send people to the access-denied and sign-in pages, as every page does.
        Assert.Equal(HttpStatusCode.Found, asBuyer.StatusCode);
        Assert.Contains("denied", asBuyer.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Found, asNobody.StatusCode);
        Assert.Contains("login", asNobody.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
