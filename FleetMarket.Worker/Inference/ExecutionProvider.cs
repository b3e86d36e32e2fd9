using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// One ONNX Runtime execution provider: the short name the marketplace shows, ONNX Runtime's own name
/// for it (as <see cref="OrtEnv.GetAvailableProviders"/> lists it), and how a session asks for it.
/// </summary>
public sealed record ExecutionProvider(string Name, string OrtName, Action<SessionOptions> Append)
{
    private const string OrtSuffix = "ExecutionProvider";

    /// <summary>TensorRT hands the nodes it cannot compile to CUDA, so CUDA comes along.</summary>
    public static readonly ExecutionProvider TensorRt = new("TensorRT", "TensorrtExecutionProvider", options =>
    {
        options.AppendExecutionProvider_Tensorrt();
        options.AppendExecutionProvider_CUDA();
    });

    public static readonly ExecutionProvider Cuda = new("CUDA", "CUDAExecutionProvider", options => options.AppendExecutionProvider_CUDA());

    /// <summary>DirectML supports neither memory patterns nor parallel execution.</summary>
    public static readonly ExecutionProvider DirectMl = new("DirectML", "DmlExecutionProvider", options =>
    {
        options.EnableMemoryPattern = false;
        options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        options.AppendExecutionProvider_DML();
    });

    public static readonly ExecutionProvider CoreMl = new("CoreML", "CoreMLExecutionProvider", options => options.AppendExecutionProvider("CoreML", []));

    /// <summary>The HTP backend is the NPU of Snapdragon phones, laptops and car platforms.</summary>
    public static readonly ExecutionProvider Qnn = new("QNN", "QNNExecutionProvider", options =>
        options.AppendExecutionProvider("QNN", new() { ["backend_path"] = OperatingSystem.IsWindows() ? "QnnHtp.dll" : "libQnnHtp.so" }));

    public static readonly ExecutionProvider OpenVino = new("OpenVINO", "OpenVINOExecutionProvider", options => options.AppendExecutionProvider_OpenVINO());

    /// <summary>Every build has it, and a session uses it when nothing else is appended.</summary>
    public static readonly ExecutionProvider Cpu = new("CPU", "CPUExecutionProvider", _ => { });

    /// <summary>Accelerators, best first; the CPU is the fallback, not a candidate.</summary>
    public static IReadOnlyList<ExecutionProvider> InPreferenceOrder { get; } = [TensorRt, Cuda, DirectMl, CoreMl, Qnn, OpenVino];

    /// <summary>The short name of a provider ONNX Runtime lists: "CUDAExecutionProvider" is "CUDA".</summary>
    public static string NameOf(string ortName)
    {
        ArgumentNullException.ThrowIfNull(ortName);
        return InPreferenceOrder.Append(Cpu).FirstOrDefault(provider => provider.OrtName == ortName)?.Name
            ?? (ortName.EndsWith(OrtSuffix, StringComparison.Ordinal) ? ortName[..^OrtSuffix.Length] : ortName);
    }
}
