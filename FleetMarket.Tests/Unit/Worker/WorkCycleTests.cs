using FleetMarket.Domain.Tensors;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Inference.Onnx;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class WorkCycleTests : IAsyncLifetime
{
    private FakeMarketplace marketplace = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        marketplace = await FakeMarketplace.StartAsync();
        services = ServicesFor(FakeMarketplace.Credential);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await marketplace.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_UnitQueued_UploadsTheModelsOutputs()
    {
        var features = ReferenceModel.SampleInputs(7);
        var lease = marketplace.AddUnit(ReferenceModel.Build(), features);

        var outcome = await Cycle().RunAsync(CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        var completion = Assert.Single(marketplace.Completions);
        Assert.Equal(lease.LeaseId, completion.LeaseId);
        Assert.Equal(WorkerApiClient.OutputsFileName, completion.FileName);
        Assert.Equal(7, completion.InferenceCount);
        Assert.True(completion.ComputeMilliseconds >= 0);
        var scores = Assert.Single(completion.Outputs);
        Assert.Equal(ReferenceModel.OutputName, scores.Key);
        Assert.Equal(ReferenceModel.Compute(features).ToFloats(), scores.Value.ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Equal(["application/json; charset=utf-8 {}"], marketplace.LeaseRequestBodies);
        Assert.Empty(marketplace.Releases);
    }

    [Fact]
    public async Task RunAsync_FirstCall_HeartbeatsWithConditionsAndProvider()
    {
        await Cycle().RunAsync(CancellationToken.None);

        var heartbeat = Assert.Single(marketplace.Heartbeats);
        Assert.Equal(ExecutionProviderSelector.Cpu, heartbeat.ExecutionProvider);
        Assert.True(heartbeat.Conditions.IsIdle);
    }

    [Fact]
    public async Task RunAsync_NoUnits_ReturnsNoWorkAndWaitsForNextHeartbeat()
    {
        var outcome = await Cycle().RunAsync(CancellationToken.None);

        Assert.Equal(CycleResult.NoWork, outcome.Result);
        Assert.InRange(outcome.Wait, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RunAsync_ServerSaysDoNotWork_ReturnsNotAllowedWithoutLeasing()
    {
        marketplace.ShouldWork = false;
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());

        var outcome = await Cycle().RunAsync(CancellationToken.None);

        Assert.Equal(CycleResult.NotAllowed, outcome.Result);
        Assert.Equal("outside the availability window", outcome.Reason);
        Assert.Empty(marketplace.LeaseRequestBodies);
    }

    [Fact]
    public async Task RunAsync_HeartbeatNotDueYet_LeasesWithoutHeartbeating()
    {
        var cycle = Cycle();
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(3));

        await cycle.RunAsync(CancellationToken.None);
        await cycle.RunAsync(CancellationToken.None);
        var third = await cycle.RunAsync(CancellationToken.None);

        Assert.Single(marketplace.Heartbeats);
        Assert.Equal(2, marketplace.Completions.Count);
        Assert.Equal(CycleResult.NoWork, third.Result);
    }

    [Fact]
    public async Task RunAsync_InputOfWrongShape_ReleasesLeaseAndThrows()
    {
        var lease = marketplace.AddUnit(ReferenceModel.Build(), NpyArray.FromFloats(new float[10], 2, 5));

        var error = await Assert.ThrowsAsync<ModelInputException>(() => Cycle().RunAsync(CancellationToken.None));

        Assert.Contains("(2, 5)", error.Message);
        Assert.Equal([lease.LeaseId], marketplace.Releases);
        Assert.Empty(marketplace.Completions);
    }

    [Fact]
    public async Task RunAsync_BlobDoesNotMatchItsHash_ReleasesLeaseAndThrows()
    {
        var lease = marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        marketplace.Blobs[lease.ModelSha256] = TestModels.Identity(TensorProto.Types.DataType.Float);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cycle().RunAsync(CancellationToken.None));

        Assert.Contains($"model blob {lease.ModelSha256}", error.Message);
        Assert.Equal([lease.LeaseId], marketplace.Releases);
    }

    [Fact]
    public async Task RunAsync_CancelledMidUnit_ReleasesTheLease()
    {
        var lease = marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        using var stop = new CancellationTokenSource();
        marketplace.BeforeBlob = async _ =>
        {
            await stop.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cycle().RunAsync(stop.Token));

        Assert.Equal([lease.LeaseId], marketplace.Releases);
    }

    [Fact]
    public async Task RunAsync_CredentialRevoked_ThrowsCredentialRejected()
    {
        await using var revoked = ServicesFor("revoked");

        var error = await Assert.ThrowsAsync<WorkerApiException>(() => revoked.GetRequiredService<WorkCycle>().RunAsync(CancellationToken.None));

        Assert.True(error.IsCredentialRejected);
        Assert.Contains("401", error.Message);
    }

    private WorkCycle Cycle() => services.GetRequiredService<WorkCycle>();

    private ServiceProvider ServicesFor(string credential) => new ServiceCollection()
        .AddLogging()
        .AddWorker(new WorkerSettings(marketplace.Address, FakeMarketplace.DeviceId, "test car", credential))
        .BuildServiceProvider();
}
