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

    private readonly TemporaryWorkerHome _home = new();
    private FakeMarketplace _marketplace = null!;

    public async Task InitializeAsync() => _marketplace = await FakeMarketplace.StartAsync();

    public async Task DisposeAsync()
    {
        await _marketplace.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_UnitsQueued_ReportsCapabilitiesCompletesThemAndStopsCleanly()
    {
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(5));
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(6));
        using var host = Host(FakeMarketplace.Credential);

        await host.StartAsync();
        using var waited = new CancellationTokenSource(Patience);
        while (_marketplace.Completions.Count < 2)
        {
            await Task.Delay(20, waited.Token);
        }

        await host.StopAsync();

        Assert.Equal([5L, 6L], _marketplace.Completions.Select(c => c.InferenceCount));
        var capabilities = Assert.Single(_marketplace.Capabilities);
        Assert.Equal("CPU", capabilities.ExecutionProvider);
        Assert.Contains("CPU", capabilities.AvailableProviders);
        Assert.True(capabilities.BenchmarkInferencesPerSecond > 0);
        Assert.Equal(ExitCodes.Success, host.Services.GetRequiredService<WorkerExitCode>().Value);
    }

    [Fact]
    public async Task ExecuteAsync_ServerSaysRetryAfter_AsksAgainExactlyThen()
    {
        // Longer than the first back-off after a failure (1 s), far shorter than the last (30 s).
        _marketplace.NextLeaseRetryAfter = TimeSpan.FromSeconds(3);
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(3));
        using var host = Host(FakeMarketplace.Credential);

        await host.StartAsync();
        using var waited = new CancellationTokenSource(Patience);
        while (_marketplace.Completions.IsEmpty)
        {
            await Task.Delay(20, waited.Token);
        }

        await host.StopAsync();

        var asked = _marketplace.LeaseRequestTimes.ToArray();
        Assert.InRange(asked[1] - asked[0], TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(10));
        Assert.Equal(3L, Assert.Single(_marketplace.Completions).InferenceCount);
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
            .AddWorker(new WorkerSettings(_marketplace.Address, FakeMarketplace.DeviceId, "test car", credential), _home.Options)
            .AddHostedService<LeaseLoopService>();
        return builder.Build();
    }
}
