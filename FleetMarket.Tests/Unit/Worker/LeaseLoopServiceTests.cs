using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class LeaseLoopServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TemporaryWorkerHome home = new();
    private FakeMarketplace marketplace = null!;

    public async Task InitializeAsync() => marketplace = await FakeMarketplace.StartAsync();

    public async Task DisposeAsync()
    {
        await marketplace.DisposeAsync();
        home.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_UnitsQueued_ReportsCapabilitiesCompletesThemAndStopsCleanly()
    {
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(5));
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(6));
        using var host = Host(FakeMarketplace.Credential);

        await host.StartAsync();
        using var waited = new CancellationTokenSource(Patience);
        while (marketplace.Completions.Count < 2)
        {
            await Task.Delay(20, waited.Token);
        }

        await host.StopAsync();

        Assert.Equal([5L, 6L], marketplace.Completions.Select(c => c.InferenceCount));
        var capabilities = Assert.Single(marketplace.Capabilities);
        Assert.Equal("CPU", capabilities.ExecutionProvider);
        Assert.Contains("CPU", capabilities.AvailableProviders);
        Assert.True(capabilities.BenchmarkInferencesPerSecond > 0);
        Assert.Equal(ExitCodes.Success, host.Services.GetRequiredService<WorkerExitCode>().Value);
    }

    [Fact]
    public async Task ExecuteAsync_ServerSaysRetryAfter_AsksAgainExactlyThen()
    {
        // Longer than the first back-off after a failure (1 s), far shorter than the last (30 s).
        marketplace.NextLeaseRetryAfter = TimeSpan.FromSeconds(3);
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(3));
        using var host = Host(FakeMarketplace.Credential);

        await host.StartAsync();
        using var waited = new CancellationTokenSource(Patience);
        while (marketplace.Completions.IsEmpty)
        {
            await Task.Delay(20, waited.Token);
        }

        await host.StopAsync();

        var asked = marketplace.LeaseRequestTimes.ToArray();
        Assert.InRange(asked[1] - asked[0], TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(10));
        Assert.Equal(3L, Assert.Single(marketplace.Completions).InferenceCount);
    }

    [Fact]
    public async Task ExecuteAsync_CredentialRejected_StopsTheWorkerWithFailure()
    {
        using var host = Host("revoked");

        await host.StartAsync();
        using var waited = new CancellationTokenSource(Patience);
        await host.WaitForShutdownAsync(waited.Token);

        Assert.Equal(ExitCodes.Failure, host.Services.GetRequiredService<WorkerExitCode>().Value);
    }

    private IHost Host(string credential)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddWorker(new WorkerSettings(marketplace.Address, FakeMarketplace.DeviceId, "test car", credential), home.Options)
            .AddHostedService<LeaseLoopService>();
        return builder.Build();
    }
}
