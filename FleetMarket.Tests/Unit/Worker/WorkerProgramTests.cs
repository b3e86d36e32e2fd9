using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker;
using FleetMarket.Worker.Cli;
using FleetMarket.Worker.Configuration;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>The worker as an owner runs it, through <c>Main</c>. Serial: it sets a process-wide environment variable.</summary>
[Collection(WorkerHomeCollection.Name)]
public sealed class WorkerProgramTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "fleetmarket-worker-" + Guid.NewGuid().ToString("N"));
    private FakeMarketplace _marketplace = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(WorkerSettingsStore.HomeVariable, _home);
        _marketplace = await FakeMarketplace.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(WorkerSettingsStore.HomeVariable, null);
        await _marketplace.DisposeAsync();
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    [Fact]
    public async Task Main_PairThenRunOnce_CompletesEveryUnitAndExitsZero()
    {
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(10));
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(4));

        var pairExit = await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);
        var runExit = await WorkerProgram.Main(["run", "--once"]);

        Assert.Equal(0, pairExit);
        Assert.Equal(0, runExit);
        Assert.Equal([10L, 4L], _marketplace.Completions.Select(c => c.InferenceCount));
        Assert.Empty(_marketplace.PendingLeases);
        Assert.Equal(FakeMarketplace.Credential, new WorkerSettingsStore(_home).Load()!.Credential);
        Assert.Equal(2, _marketplace.Capabilities.Count);
        Assert.All(_marketplace.Capabilities, c => Assert.True(c.BenchmarkInferencesPerSecond > 0));
    }

    [Fact]
    public async Task Main_PairWithAServerThatTakesNoCapabilities_StillSucceeds()
    {
        _marketplace.TakesCapabilities = false;

        var exit = await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);

        Assert.Equal(0, exit);
        Assert.Empty(_marketplace.Capabilities);
    }

    [Fact]
    public async Task Main_RunOnceWithAResultKeptFromBefore_SendsItFirst()
    {
        await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);
        var outputs = Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.OutputName] = ReferenceModel.Compute(ReferenceModel.SampleInputs(2)) });
        var kept = new PendingCompletion(Guid.NewGuid(), Guid.NewGuid(), ComputeMilliseconds: 12, InferenceCount: 2, outputs);
        var pending = new PendingCompletions(Path.Combine(_home, "pending"), NullLogger<PendingCompletions>.Instance);
        pending.Save(kept);
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs(3));

        Assert.Equal(0, await WorkerProgram.Main(["run", "--once"]));

        Assert.Equal([(kept.LeaseId, 12L, 2L), (_marketplace.Completions.Last().LeaseId, _marketplace.Completions.Last().ComputeMilliseconds, 3L)],
            _marketplace.Completions.Select(c => (c.LeaseId, c.ComputeMilliseconds, c.InferenceCount)));
        Assert.Equal(0, pending.Count());
    }

    [Fact]
    public async Task Status_Paired_ShowsServerDeviceAndProvidersButNoCredential()
    {
        await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);
        using var output = new StringWriter();

        var exit = await new StatusCommand().ExecuteAsync(output, output);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("Paired:                        yes", text);
        Assert.Contains($"Server:                        {_marketplace.Address}", text);
        Assert.Contains(FakeMarketplace.DeviceId.ToString(), text);
        Assert.Contains(Path.Combine(_home, "worker.json"), text);
        Assert.Contains("Execution provider used:       CPU", text);
        Assert.DoesNotContain(FakeMarketplace.Credential, text);
    }

    [Fact]
    public async Task Status_NotPaired_SaysHowToPair()
    {
        using var output = new StringWriter();

        Assert.Equal(0, await new StatusCommand().ExecuteAsync(output, output));
        Assert.Contains("Paired:                        no: run 'FleetMarket.Worker pair", output.ToString());
    }

    [Fact]
    public async Task Benchmark_WithoutAServer_PrintsAPositiveScore()
    {
        using var output = new StringWriter();

        Assert.Equal(0, await new BenchmarkCommand().ExecuteAsync(output, output));

        var score = output.ToString().Split("Score: ")[1].Split(' ')[0];
        Assert.True(double.Parse(score) > 0, output.ToString());
        Assert.Contains("inferences per second on CPU", output.ToString());
    }

    [Fact]
    public async Task Main_RunOnceWhenServerSaysDoNotWork_ExitsZeroWithoutLeasing()
    {
        _marketplace.ShouldWork = false;
        _marketplace.AddUnit(ReferenceModel.Build(), ReferenceModel.SampleInputs());
        await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);

        Assert.Equal(0, await WorkerProgram.Main(["run", "--once"]));
        Assert.Single(_marketplace.PendingLeases);
    }

    [Fact]
    public async Task Main_RunOnceWithBadUnit_ReleasesItAndExitsOne()
    {
        var lease = _marketplace.AddUnit(ReferenceModel.Build(), NpyArrayOfWrongWidth());
        await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", FakeMarketplace.PairingCode]);

        Assert.Equal(1, await WorkerProgram.Main(["run", "--once"]));
        Assert.Equal([lease.LeaseId], _marketplace.Releases);
    }

    [Fact]
    public async Task Main_PairWithWrongCode_ExitsOneAndSavesNothing()
    {
        var exit = await WorkerProgram.Main(["pair", "--server", _marketplace.Address.ToString(), "--code", "WRONG"]);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(new WorkerSettingsStore(_home).FilePath));
    }

    [Fact]
    public async Task Main_RunBeforePairing_ExitsOne()
    {
        Assert.Equal(1, await WorkerProgram.Main(["run", "--once"]));
    }

    [Theory]
    [InlineData]
    [InlineData("pair", "--server")]
    [InlineData("serve")]
    [InlineData("run", "--forever")]
    public async Task Main_BadUsage_ExitsTwo(params string[] args)
    {
        Assert.Equal(2, await WorkerProgram.Main(args));
    }

    [Fact]
    public async Task Main_Sample_WritesAModelAndInputsThatRun()
    {
        var exit = await WorkerProgram.Main(["sample", "--out", _home]);

        Assert.Equal(0, exit);
        var inputs = Npy.Read(await File.ReadAllBytesAsync(Path.Combine(_home, "inputs.npy")));
        Assert.Equal([10, 4], inputs.Shape);
        using var runner = new OnnxModelRunner(new ExecutionProviderSelector());
        var outputs = runner.Run(await File.ReadAllBytesAsync(Path.Combine(_home, "mlp.onnx")), new Dictionary<string, NpyArray> { ["features"] = inputs });
        Assert.Equal(ReferenceModel.Compute(inputs).ToFloats(), outputs["scores"].ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    private static NpyArray NpyArrayOfWrongWidth() => NpyArray.FromFloats(new float[6], 2, 3);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerHomeCollection
{
    public const string Name = "Worker home environment variable";
}
