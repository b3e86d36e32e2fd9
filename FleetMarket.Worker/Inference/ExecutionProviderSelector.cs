using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Chooses, once, where models run: the first accelerator in <see cref="ExecutionProvider.InPreferenceOrder"/>
/// that this ONNX Runtime build offers and that actually runs the reference model, else the CPU. A provider
/// can be listed and still fail: its driver, runtime libraries or device may be missing.
/// </summary>
public sealed class ExecutionProviderSelector
{
    public const string Cpu = "CPU";

    /// <summary>Below this size a model runs faster on one thread than paying for a thread pool's hand-offs.</summary>
    public const long SmallModelBytes = 4 * 1024 * 1024;

    private readonly ExecutionProvider _chosen;

    public ExecutionProviderSelector()
        : this(OrtEnv.Instance().GetAvailableProviders())
    {
    }

    public ExecutionProviderSelector(IReadOnlyCollection<string> availableProviders)
        : this(availableProviders, ExecutionProvider.InPreferenceOrder)
    {
    }

    /// <param name="availableProviders">ONNX Runtime's names of the providers this build offers.</param>
    /// <param name="candidates">The providers to try, best first.</param>
    public ExecutionProviderSelector(IReadOnlyCollection<string> availableProviders, IReadOnlyList<ExecutionProvider> candidates)
    {
        ArgumentNullException.ThrowIfNull(availableProviders);
        ArgumentNullException.ThrowIfNull(candidates);
        AvailableProviders = [.. availableProviders.Select(ExecutionProvider.NameOf)];
        var failures = new List<string>();
        _chosen = candidates.Where(candidate => availableProviders.Contains(candidate.OrtName)).FirstOrDefault(candidate => Starts(candidate, failures))
            ?? ExecutionProvider.Cpu;
        Failures = failures;
    }

    /// <summary>The providers this ONNX Runtime build offers, by short name ("CUDA", "CPU").</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>The provider models run on, as reported to the marketplace: "CUDA", "CPU"…</summary>
    public string ProviderName => _chosen.Name;

    /// <summary>Why each better provider was passed over, one line each.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Options for a session of a model of <paramref name="modelBytes"/> bytes; the caller disposes them.</summary>
    public SessionOptions CreateSessionOptions(long modelBytes)
    {
        var options = new SessionOptions();
        try
        {
            if (modelBytes < SmallModelBytes)
            {
                options.IntraOpNumThreads = 1;
            }

            _chosen.Append(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Whether the provider builds a session for the reference model and runs it once: some fail only when they first compile.</summary>
    private static bool Starts(ExecutionProvider provider, List<string> failures)
    {
        try
        {
            using var options = new SessionOptions();
            provider.Append(options);
            using var session = new InferenceSession(ReferenceModel.Build(), options);
            using var input = OrtTensors.ToOrtValue(ReferenceModel.SampleInputs(1), session.InputMetadata[ReferenceModel.InputName].ElementDataType);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [ReferenceModel.InputName], [input], [ReferenceModel.OutputName]);
            return true;
        }
        catch (Exception e)
        {
            // Anything: an OnnxRuntimeException from a driver, a DllNotFoundException for missing runtime libraries,
            // an EntryPointNotFoundException from a build without this provider. The next one may still work.
            failures.Add($"{provider.Name}: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }
}
