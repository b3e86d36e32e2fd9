using FleetMarket.Protocol;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>What the pipeline adds to a work cycle: batched leases and completions, and stages that overlap.</summary>
public sealed class WorkPipelineTests : IAsyncLifetime
{
    private readonly TemporaryWorkerHome home = new();
    private FakeMarketplace marketplace = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        marketplace = await FakeMarketplace.StartAsync();
        services = new ServiceCollection()
            .AddLogging()
            .AddWorker(new WorkerSettings(marketplace.Address, FakeMarketplace.DeviceId, "test car", FakeMarketplace.Credential), home.Options)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await marketplace.DisposeAsync();
        home.Dispose();
    }

    [Fact]
    public async Task RunAsync_SeveralUnitsQueued_LeasesThemTogetherAndCompletesEachInOrder()
    {
        var model = ReferenceModel.Build();
        foreach (var rows in (int[])[2, 3, 4, 5])
        {
            marketplace.AddUnit(model, ReferenceModel.SampleInputs(rows));
        }

        var outcome = await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(CycleResult.Worked, outcome.Result);
        Assert.Equal([2L, 3L, 4L, 5L], marketplace.Completions.Select(c => c.InferenceCount));
        Assert.All(marketplace.Completions, c => Assert.Equal(
            ReferenceModel.Compute(ReferenceModel.SampleInputs((int)c.InferenceCount)).ToFloats(),
            c.Outputs[ReferenceModel.OutputName].ToFloats(),
            (a, b) => Math.Abs(a - b) <= 1e-5f));
        // A full batch of three, then the fourth unit asked for while they ran: a batch not full ends the asking.
        Assert.Equal(2, marketplace.LeaseRequestBodies.Count);
        Assert.All(marketplace.LeaseRequestBodies, body => Assert.Contains("\"maxUnits\":3", body));
        Assert.Equal(0, services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_NextUnitsInput_IsFetchedBeforeThePreviousResultIsUploaded()
    {
        var model = ReferenceModel.Build();
        var first = marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        var secondInputFetched = new TaskCompletionSource();
        marketplace.BeforeBlob = sha =>
        {
            if (sha == second.InputSha256)
            {
                secondInputFetched.TrySetResult();
            }

            return Task.CompletedTask;
        };
        var fetchedBeforeFirstUpload = false;
        marketplace.BeforeComplete = async (leaseId, _) =>
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
        Assert.Equal([first.LeaseId, second.LeaseId], marketplace.Completions.Select(c => c.LeaseId));
    }

    [Fact]
    public async Task RunAsync_ResultsWaitingWhileAnUploadIsUnderWay_GoOutInOneRequest()
    {
        var model = ReferenceModel.Build();
        var first = marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        var third = marketplace.AddUnit(model, ReferenceModel.SampleInputs(4));
        HoldFirstUploadWhileTheOthersRun(first, second);

        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([first.LeaseId, second.LeaseId, third.LeaseId], marketplace.Completions.Select(c => c.LeaseId));
        Assert.Equal([second.LeaseId, third.LeaseId], Assert.Single(marketplace.CompletionBatches));
        Assert.Equal(0, services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_BatchCompletionAnswered404_CompletesEachResultAlone()
    {
        var model = ReferenceModel.Build();
        var first = marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        marketplace.AddUnit(model, ReferenceModel.SampleInputs(4));
        HoldFirstUploadWhileTheOthersRun(first, second);
        marketplace.CompleteManyRefusal = 404;

        await Cycle().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([2L, 3L, 4L], marketplace.Completions.Select(c => c.InferenceCount));
        Assert.All(marketplace.Completions, c => Assert.Equal(WorkerApiClientOutputs, c.FileName));
        Assert.Empty(marketplace.CompletionBatches);
        Assert.Empty(marketplace.Releases);
        Assert.Equal(0, services.GetRequiredService<PendingCompletions>().Count());
    }

    [Fact]
    public async Task RunAsync_ServerFromBeforeBatches_LeasesAndCompletesOneAtATime()
    {
        marketplace.TakesBatches = false;
        var model = ReferenceModel.Build();
        var first = marketplace.AddUnit(model, ReferenceModel.SampleInputs(2));
        var second = marketplace.AddUnit(model, ReferenceModel.SampleInputs(3));
        HoldFirstUploadWhileTheOthersRun(first, second);
        var cycle = Cycle();

        var worked = await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);
        var then = await cycle.RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal((CycleResult.Worked, CycleResult.NoWork), (worked.Result, then.Result));
        Assert.Equal([2L, 3L], marketplace.Completions.Select(c => c.InferenceCount));
        Assert.Empty(marketplace.CompletionBatches);
        // Asked once a unit of the old route, after the one 404 from the new one: the 404 is remembered.
        Assert.All(marketplace.LeaseRequestBodies, body => Assert.DoesNotContain("\"maxUnits\":3", body));
        Assert.Equal(4, marketplace.LeaseRequestBodies.Count);
    }

    /// <summary>The second unit's input is served once the first result's upload has begun, which then lasts a second: the units after the first finish while it is under way.</summary>
    private void HoldFirstUploadWhileTheOthersRun(WorkUnitLease first, WorkUnitLease second)
    {
        var firstUploadBegun = new TaskCompletionSource();
        marketplace.BeforeBlob = sha => sha == second.InputSha256 ? firstUploadBegun.Task.WaitAsync(TimeSpan.FromSeconds(60)) : Task.CompletedTask;
        marketplace.BeforeComplete = (leaseId, aborted) =>
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

    private WorkCycle Cycle() => services.GetRequiredService<WorkCycle>();
}
