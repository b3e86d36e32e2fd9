using FleetMarket.Protocol;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>What the pipeline adds to a work cycle: batched leases and completions, and stages that overlap.</summary>
public sealed class WorkPipelineTests : IAsyncLifetime
{
    private readonly TemporaryWorkerHome _home = new();
    private FakeMarketplace _marketplace = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _marketplace = await FakeMarketplace.StartAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddWorker(new WorkerSettings(_marketplace.Address, FakeMarketplace.DeviceId, "test car", FakeMarketplace.Credential), _home.Options)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _marketplace.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task RunAsync_SeveralUnitsQueued_LeasesThemTogetherAndCompletesEachInOrder()
    {
        var model = ReferenceModel.Build();
        foreach (var rows in (int[])[2, 3, 4, 5])
        {
            _marketplace.AddUnit(model, ReferenceModel.SampleInputs(rows));
        }

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        Assert.Equal([2L, 3L, 4L, 5L], _marketplace.Completions.Select(c => c.InferenceCount));
        Assert.All(_marketplace.Completions, c => Assert.Equal(
            ReferenceModel.Compute(ReferenceModel.SampleInputs((int)c.InferenceCount)).ToFloats(),
            c.Outputs[ReferenceModel.OutputName].ToFloats(),
            (a, b) => Math.Abs(a - b) <= 1e-5f));
        // A full batch of three, then the fourth unit asked for while they ran: a batch not full ends the asking.
        Assert.Equal(2, _marketplace.LeaseRequestBodies.Count);
        Assert.All(_marketplace.LeaseRequestBodies, body => Assert.Contains("\"maxUnits\":3", body));
        Assert.Equal(0, _services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_NextUnitsInput_IsFetchedBeforeThePreviousResultIsUploaded()
    {
        var model = ReferenceModel.Build();
        var first = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        var secondInputFetched = new TaskCompletionSource();
        _marketplace.BeforeBlob = sha =>
        {
            if (sha == second.InputSha256)
            {
                secondInputFetched.TrySetResult();
            }

            return Task.CompletedTask;
        };
        var fetchedBeforeFirstUpload = false;
        _marketplace.BeforeComplete = async (leaseId, _) =>
        {
            if (leaseId == first.LeaseId)
            {
                // The first result's upload waits for the second unit's input, which the fetch stage is getting meanwhile.
                // A generous bound: the whole suite starting at once on two cores once held that fetch past 5 s.
                fetchedBeforeFirstUpload = await Task.WhenAny(secondInputFetched.Task, Task.Delay(TimeSpan.FromSeconds(60))) == secondInputFetched.Task;
            }
        };

        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.True(fetchedBeforeFirstUpload);
        Assert.Equal([first.LeaseId, second.LeaseId], _marketplace.Completions.Select(c => c.LeaseId));
    }

    [Fact]
    public async Task RunAsync_ResultsWaitingWhileAnUploadIsUnderWay_GoOutInOneRequest()
    {
        var model = ReferenceModel.Build();
        var first = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        var third = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(4));
        HoldFirstUploadWhileTheOthersRun(first, second);

        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([first.LeaseId, second.LeaseId, third.LeaseId], _marketplace.Completions.Select(c => c.LeaseId));
        Assert.Equal([second.LeaseId, third.LeaseId], Assert.Single(_marketplace.CompletionBatches));
        Assert.Equal(0, _services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_BatchCompletionAnswered404_CompletesEachResultAlone()
    {
        var model = ReferenceModel.Build();
        var first = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        _marketplace.AddUnit(model, ReferenceModel.SampleInputs(4));
        HoldFirstUploadWhileTheOthersRun(first, second);
        _marketplace.CompleteManyRefusal = 404;

        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([2L, 3L, 4L], _marketplace.Completions.Select(c => c.InferenceCount));
        Assert.All(_marketplace.Completions, c => Assert.Equal(WorkerApiClientOutputs, c.FileName));
        Assert.Empty(_marketplace.CompletionBatches);
        Assert.Empty(_marketplace.Releases);
        Assert.Equal(0, _services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_ServerFromBeforeBatches_LeasesAndCompletesOneAtATime()
    {
        _marketplace.TakesBatches = false;
        var model = ReferenceModel.Build();
        var first = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = _marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        HoldFirstUploadWhileTheOthersRun(first, second);
        var cycle = Cycle();

        var worked = await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);
        var then = await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal((CycleResult.Worked, CycleResult.NoWork), (worked.Result, then.Result));
        Assert.Equal([2L, 3L], _marketplace.Completions.Select(c => c.InferenceCount));
        Assert.Empty(_marketplace.CompletionBatches);
        // Asked once a unit of the old route, after the one 404 from the new one: the 404 is remembered.
        Assert.All(_marketplace.LeaseRequestBodies, body => Assert.DoesNotContain("\"maxUnits\":3", body));
        Assert.Equal(4, _marketplace.LeaseRequestBodies.Count);
    }

    /// <summary>The second unit's input is served once the first result's upload has begun, which then lasts a second: the units after the first finish while it is under way.</summary>
    private void HoldFirstUploadWhileTheOthersRun(WorkUnitLease first, WorkUnitLease second)
    {
        var firstUploadBegun = new TaskCompletionSource();
        _marketplace.BeforeBlob = sha => sha == second.InputSha256 ? firstUploadBegun.Task.WaitAsync(TimeSpan.FromSeconds(60)) : Task.CompletedTask;
        _marketplace.BeforeComplete = (leaseId, aborted) =>
        {
            if (leaseId != first.LeaseId)
            {
                return Task.CompletedTask;
            }

            firstUploadBegun.TrySetResult();
            return Task.Delay(TimeSpan.FromSeconds(1), aborted);
        };
    }

    private const string WorkerApiClientOutputs = FleetMarket.Worker.Api.WorkerApiClient.OutputsFileName;

    private WorkCycle Cycle() => _services.GetRequiredService<WorkCycle>();
}
