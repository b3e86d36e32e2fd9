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

    [Theory]
    [InlineData(1024, 1)]
    [InlineData(ExecutionProviderSelector.SmallModelBytes, 0)]
    public void CreateSessionOptions_BySize_UsesOneThreadOnlyForSmallModels(long modelBytes, int expectedThreads)
    {
        using var options = new ExecutionProviderSelector(["CPUExecutionProvider"]).CreateSessionOptions(modelBytes);

        Assert.Equal(expectedThreads, options.IntraOpNumThreads);
    }
}
