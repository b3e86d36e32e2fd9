using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Chooses, once, where models run: CUDA when this ONNX Runtime build offers it and it can actually
/// start (the CUDA runtime libraries may be missing even when the build lists it), else the CPU.
/// </summary>
public sealed class ExecutionProviderSelector
{
    public const string Cpu = "CPU";
    public const string Cuda = "CUDA";

    /// <summary>Below this size a model runs faster on one thread than paying for a thread pool's hand-offs.</summary>
    public const long SmallModelBytes = 4 * 1024 * 1024;

    private const string CudaProviderName = "CUDAExecutionProvider";

    public ExecutionProviderSelector()
        : this(OrtEnv.Instance().GetAvailableProviders())
    {
    }

    public ExecutionProviderSelector(IReadOnlyCollection<string> availableProviders)
    {
        ArgumentNullException.ThrowIfNull(availableProviders);
        ProviderName = availableProviders.Contains(CudaProviderName) && CudaStarts() ? Cuda : Cpu;
    }

    /// <summary>"CUDA" or "CPU", as reported to the marketplace.</summary>
    public string ProviderName { get; }

    /// <summary>Options for a session of a model of <paramref name="modelBytes"/> bytes; the caller disposes them.</summary>
    public SessionOptions CreateSessionOptions(long modelBytes)
    {
        var options = new SessionOptions();
        if (modelBytes < SmallModelBytes)
        {
            options.IntraOpNumThreads = 1;
        }

        if (ProviderName == Cuda)
        {
            options.AppendExecutionProvider_CUDA();
        }

        return options;
    }

    private static bool CudaStarts()
    {
        try
        {
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA();
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
        {
            // A CPU-only build lacks the entry point; a CUDA build without CUDA's libraries fails to load them.
            return false;
        }
    }
}
