using FleetMarket.Worker.Inference;

namespace FleetMarket.Tests.Unit.Worker;

public class ExecutionProviderSelectorTests
{
    [Fact]
    public void Constructor_OnlyCpuAvailable_ChoosesCpu()
    {
        Assert.Equal("CPU", new ExecutionProviderSelector(["CPUExecutionProvider"]).ProviderName);
    }

    [Fact]
    public void Constructor_CudaListedButCannotStart_FallsBackToCpu()
    {
        // This machine's ONNX Runtime is the CPU build: appending CUDA fails, as it does when CUDA's libraries are missing.
        var selector = new ExecutionProviderSelector(["CUDAExecutionProvider", "CPUExecutionProvider"]);

        Assert.Equal("CPU", selector.ProviderName);
    }

    [Fact]
    public void Constructor_ProviderThrowsWhileStarting_FallsBackToCpuAndSaysWhy()
    {
        var broken = new ExecutionProvider("Broken", "BrokenExecutionProvider", _ => throw new DllNotFoundException("libbroken.so: cannot open shared object file"));

        var selector = new ExecutionProviderSelector(["BrokenExecutionProvider", "CPUExecutionProvider"], [broken]);

        Assert.Equal("CPU", selector.ProviderName);
        Assert.Equal(["Broken", "CPU"], selector.AvailableProviders);
        Assert.StartsWith("Broken: DllNotFoundException: libbroken.so", Assert.Single(selector.Failures));
    }

    [Fact]
    public void Constructor_SeveralCandidates_ChoosesTheFirstThatRunsTheReferenceModel()
    {
        var broken = new ExecutionProvider("Broken", "BrokenExecutionProvider", _ => throw new EntryPointNotFoundException("OrtSessionOptionsAppendExecutionProvider_Broken"));
        var working = new ExecutionProvider("Working", "WorkingExecutionProvider", _ => { });
        var notOffered = new ExecutionProvider("Absent", "AbsentExecutionProvider", _ => throw new InvalidOperationException("never tried"));

        var selector = new ExecutionProviderSelector(["WorkingExecutionProvider", "BrokenExecutionProvider", "CPUExecutionProvider"], [notOffered, broken, working]);

        Assert.Equal("Working", selector.ProviderName);
        Assert.Single(selector.Failures);
    }

    [Fact]
    public void Constructor_OnThisMachine_OffersCpuAndKnowsEveryAcceleratorByName()
    {
        var selector = new ExecutionProviderSelector();

        Assert.Contains("CPU", selector.AvailableProviders);
        Assert.Equal(["TensorRT", "CUDA", "DirectML", "CoreML", "QNN", "OpenVINO"], ExecutionProvider.InPreferenceOrder.Select(p => p.Name));
        Assert.Equal("CUDA", ExecutionProvider.NameOf("CUDAExecutionProvider"));
        Assert.Equal("Azure", ExecutionProvider.NameOf("AzureExecutionProvider"));
    }

    [Theory]
    [InlineData(1024, 1)]
    [InlineData(ExecutionProviderSelector.SmallModelBytes, 0)]
    public void CreateSessionOptions_BySize_UsesOneThreadOnlyForSmallModels(long modelBytes, int expectedThreads)
    {
        using var options = new ExecutionProviderSelector(["CPUExecutionProvider"]).CreateSessionOptions(modelBytes);

        Assert.Equal(expectedThreads, options.IntraOpNumThreads);
    }
}
