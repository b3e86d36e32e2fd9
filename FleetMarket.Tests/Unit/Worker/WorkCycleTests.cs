using FleetMarket.Protocol.Availability;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Inference.Onnx;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class WorkCycleTests : IAsyncLifetime
{
    private readonly TemporaryWorkerHome _home = new();
    private FakeMarketplace _marketplace = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _marketplace = await FakeMarketplace.StartAsync();
        _services = ServicesFor(FakeMarketplace.Credential);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _marketplace.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task RunAsync_UnitQueued_UploadsTheModelsOutputs()
    {
        var features = ReferenceModel.SampleInputs(7);
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), features);

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        var completion = Assert.Single(_marketplace.Completions);
        Assert.Equal(lease.LeaseId, completion.LeaseId);
        Assert.Equal(WorkerApiClient.OutputsFileName, completion.FileName);
        Assert.Equal(7, completion.InferenceCount);
        Assert.True(completion.ComputeMilliseconds >= 0);
        var scores = Assert.Single(completion.Outputs);
        Assert.Equal(ReferenceModel.OutputName, scores.Key);
        Assert.Equal(ReferenceModel.Compute(features).ToFloats(), scores.Value.ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f);
        // The lease carries the conditions the device reads now, for the server to apply the owner's policy.
        var leaseBody = Assert.Single(_marketplace.LeaseRequestBodies);
        Assert.StartsWith("application/json; charset=utf-8 {\"conditions\":{\"isIdle\":", leaseBody);
        Assert.Empty(_marketplace.Releases);
        Assert.Equal(0, Pending().Count());
    }

    [Fact]
    public async Task RunAsync_FirstCall_HeartbeatsWithConditionsAndProvider()
    {
        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        var heartbeat = Assert.Single(_marketplace.Heartbeats);
        Assert.Equal(ExecutionProviderSelector.Cpu, heartbeat.ExecutionProvider);
        Assert.True(heartbeat.Conditions.IsIdle);
    }

    [Fact]
    public async Task RunAsync_ServerSaysDoNotWork_ReturnsNotAllowedWithoutLeasing()
    {
        _marketplace.ShouldWork = false;
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.NotAllowed, outcome.Result);
        Assert.Equal("outside the availability window", outcome.Reason);
        Assert.Empty(_marketplace.LeaseRequestBodies);
    }

    [Fact]
    public async Task RunAsync_PolicyChargingOnlyAndConfigSaysOnBattery_DoesNotAskForWork()
    {
        _marketplace.Policy = AvailabilityPolicy.Always with { OnlyWhileCharging = true };
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        await using var onBattery = ServicesFor(FakeMarketplace.Credential, _home.Options with { Conditions = new(Charging: false, BatteryPercent: 90) });

        var outcome = await onBattery.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.NotAllowed, outcome.Result);
        Assert.Contains("only while charging", outcome.Reason);
        Assert.InRange(outcome.Wait, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.False(Assert.Single(_marketplace.Heartbeats).Conditions.IsCharging);
        Assert.Empty(_marketplace.LeaseRequestBodies);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(5, false)]
    [InlineData(2, true)]
    public async Task RunAsync_DepartureInThreeMinutes_AsksForWorkOnlyIfALeaseFitsBefore(int? leaseMinutes, bool asks)
    {
        var mondaySevenUtc = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        _marketplace.Policy = AvailabilityPolicy.Always with { Departures = [new Departure(DayOfWeek.Monday, new TimeOnly(7, 3))] };
        _marketplace.LeaseDuration = leaseMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null;
        await using var atSeven = ServicesFor(FakeMarketplace.Credential, time: new FixedTimeProvider(mondaySevenUtc));

        var outcome = await atSeven.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(asks ? CycleResult.NoWork : CycleResult.NotAllowed, outcome.Result);
        Assert.Equal(asks ? 1 : 0, _marketplace.LeaseRequestBodies.Count);
    }

    [Fact]
    public async Task RunAsync_FirstCallAfterStart_GivesBackLeasesThePreviousProcessHeldOnce()
    {
        var cycle = Cycle();

        await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);
        await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Empty(Assert.Single(_marketplace.HeldReleases));
    }

    [Fact]
    public async Task RunAsync_NoUnitsAndServerAnswersAtOnce_WaitsTheRestOfTheLongPollItself()
    {
        var outcome = await Cycle().RunAsync(TimeSpan.FromMinutes(5), CancellationToken.None);

        // Never longer than the server may hold a request: a server that holds it the full 25 s leaves nothing to wait.
        Assert.Equal(CycleResult.NoWork, outcome.Result);
        Assert.InRange(outcome.Wait, TimeSpan.FromSeconds(20), WorkCycle.LongPoll);
        Assert.Contains("\"waitSeconds\":25", Assert.Single(_marketplace.LeaseRequestBodies));
    }

    [Fact]
    public async Task RunAsync_UnitOutlastsAThirdOfItsLease_RenewsTheLeaseWhileItWorks()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(2), leaseSeconds: 3);
        _marketplace.BeforeComplete = (_, aborted) => Task.Delay(TimeSpan.FromSeconds(2.5), aborted);

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        Assert.Contains(lease.LeaseId, _marketplace.Renewals);
        Assert.Single(_marketplace.Completions);
    }

    [Fact]
    public async Task RunAsync_RenewalRefused_StopsTheUnitAndGivesItBack()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(2), leaseSeconds: 3);
        _marketplace.RenewRefusal = (int)System.Net.HttpStatusCode.Conflict;
        _marketplace.BeforeBlob = _ => Task.Delay(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.Equal([lease.LeaseId], _marketplace.Renewals);
        Assert.Equal([lease.LeaseId], _marketplace.Releases);
        Assert.Empty(_marketplace.Completions);
    }

    [Fact]
    public async Task RunAsync_HeartbeatNotDueYet_LeasesWithoutHeartbeating()
    {
        var cycle = Cycle();
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(3));

        await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);
        await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);
        var third = await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Single(_marketplace.Heartbeats);
        Assert.Equal(2, _marketplace.Completions.Count);
        Assert.Equal(CycleResult.NoWork, third.Result);
    }

    [Fact]
    public async Task RunAsync_ModelCachedOnDisk_RunsAfterRestartWithoutDownloadingIt()
    {
        var model = ReferenceModel.Build();
        _marketplace.AddUnit(model, ReferenceModel.SampleInputs());
        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);
        var second = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        _marketplace.Blobs.TryRemove(second.ModelSha256, out _);
        await using var restarted = ServicesFor(FakeMarketplace.Credential);

        var outcome = await restarted.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        Assert.Equal(second.LeaseId, _marketplace.Completions.Last().LeaseId);
        Assert.True(File.Exists(Path.Combine(_home.Options.ModelCacheDirectory, second.ModelSha256 + ".onnx")));
    }

    [Fact]
    public async Task RunAsync_InputOfWrongShape_ReleasesLeaseAndThrows()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), NpyArray.FromFloats(new float[10], 2, 5));

        var error = await Assert.ThrowsAsync<ModelInputException>(() => Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.Contains("(2, 5)", error.Message);
        Assert.Equal([lease.LeaseId], _marketplace.Releases);
        Assert.Empty(_marketplace.Completions);
    }

    [Fact]
    public async Task RunAsync_BlobDoesNotMatchItsHash_ReleasesLeaseAndThrows()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        _marketplace.Blobs[lease.ModelSha256] = TestModels.Identity(TensorProto.Types.DataType.Float);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.Contains($"model blob {lease.ModelSha256}", error.Message);
        Assert.Equal([lease.LeaseId], _marketplace.Releases);
    }

    [Fact]
    public async Task RunAsync_StoppedMidUnitWithNoGrace_ReleasesTheLease()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        await using var noGrace = ServicesFor(FakeMarketplace.Credential, _home.Options with { ShutdownGrace = TimeSpan.Zero });
        using var stop = new CancellationTokenSource();
        _marketplace.BeforeBlob = async _ =>
        {
            await stop.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => noGrace.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, stop.Token));

        Assert.Equal([lease.LeaseId], _marketplace.Releases);
        Assert.Empty(_marketplace.Completions);
    }

    [Fact]
    public async Task RunAsync_StoppedMidUnitWithinGrace_FinishesAndUploads()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        using var stop = new CancellationTokenSource();
        _marketplace.BeforeBlob = _ => stop.CancelAsync();

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, stop.Token);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        Assert.Equal(lease.LeaseId, Assert.Single(_marketplace.Completions).LeaseId);
        Assert.Empty(_marketplace.Releases);
    }

    [Fact]
    public async Task RunAsync_StoppedDuringUpload_KeepsTheResultAndSendsItAfterRestart()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(4));
        using var stop = new CancellationTokenSource();
        _marketplace.BeforeComplete = async (_, aborted) =>
        {
            _marketplace.BeforeComplete = null;
            await stop.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(10), aborted);
        };
        await using (var noGrace = ServicesFor(FakeMarketplace.Credential, _home.Options with { ShutdownGrace = TimeSpan.Zero }))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => noGrace.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, stop.Token));
        }

        Assert.Empty(_marketplace.Completions);
        Assert.Empty(_marketplace.Releases);
        Assert.Equal(1, Pending().Count());

        var afterRestart = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        var completion = Assert.Single(_marketplace.Completions);
        Assert.Equal((lease.LeaseId, 4L), (completion.LeaseId, completion.InferenceCount));
        Assert.Equal(ReferenceModel.Compute(ReferenceModel.SampleInputs(4)).ToFloats(), completion.Outputs[ReferenceModel.OutputName].ToFloats());
        Assert.Equal(CycleResult.NoWork, afterRestart.Result);
        Assert.Equal(0, Pending().Count());
    }

    [Fact]
    public async Task RunAsync_ResultRefused_ForgetsItAndReleasesTheLease()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        _marketplace.CompleteRefusal = 409;

        var error = await Assert.ThrowsAsync<WorkerApiException>(() => Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.True(error.IsDefinitive);
        Assert.Equal([lease.LeaseId], _marketplace.Releases);
        Assert.Equal(0, Pending().Count());
    }

    [Fact]
    public async Task RunAsync_CredentialRevoked_ThrowsCredentialRejected()
    {
        await using var revoked = ServicesFor("revoked");

        var error = await Assert.ThrowsAsync<WorkerApiException>(() => revoked.GetRequiredService<WorkCycle>().RunAsync(TimeSpan.Zero, CancellationToken.None));

        Assert.True(error.IsCredentialRejected);
        Assert.Contains("401", error.Message);
    }

    private WorkCycle Cycle() => _services.GetRequiredService<WorkCycle>();

    private PendingCompletions Pending() => _services.GetRequiredService<PendingCompletions>();

    private ServiceProvider ServicesFor(string credential, WorkerOptions? options = null, TimeProvider? time = null)
    {
        var collection = new ServiceCollection()
            .AddLogging()
            .AddWorker(new WorkerSettings(_marketplace.Address, FakeMarketplace.DeviceId, "test car", credential), options ?? _home.Options);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        return collection.BuildServiceProvider();
    }
}
