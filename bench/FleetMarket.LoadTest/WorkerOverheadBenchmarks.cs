using BenchmarkDotNet.Attributes;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.LoadTest;

/// <summary>
/// Time per work unit through the worker's own code (what its pipeline's fetch and run stages do between fetching
/// the input blob and uploading the outputs) against a raw ONNX Runtime loop on the same model, with the same session
/// options, on the same rows.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(15)]
public class WorkerOverheadBenchmarks : IDisposable
{
    private readonly string[] _inputNames = [ReferenceModel.InputName];
    private readonly string[] _outputNames = [ReferenceModel.OutputName];
    private OnnxModelRunner _runner = default!;
    private string _modelSha256 = default!;
    private byte[] _inputNpz = default!;
    private string _inputSha256 = default!;
    private InferenceSession _session = default!;
    private RunOptions _runOptions = default!;
    private float[] _rows = default!;
    private long[] _shape = default!;

    /// <summary>Rows per unit: the marketplace's default unit is 4 rows; buyers choose larger ones for real batches.</summary>
    [Params(1, 4, 256, 4096)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = ReferenceModel.Build();
        var providers = new ExecutionProviderSelector();
        _runner = new OnnxModelRunner(providers);
        _modelSha256 = _runner.LoadModel(model);

        var inputs = ReferenceModel.SampleInputs(Rows);
        _inputNpz = Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = inputs });
        _inputSha256 = ContentHash.Sha256(_inputNpz);

        using var options = providers.CreateSessionOptions(model.LongLength);
        _session = new InferenceSession(model, options);
        _runOptions = new RunOptions();
        _rows = inputs.ToFloats();
        _shape = [Rows, ReferenceModel.InputWidth];
    }

    /// <summary>The floor: an OrtValue over the rows, InferenceSession.Run, the scores copied out.</summary>
    [Benchmark(Baseline = true, Description = "raw ONNX Runtime: OrtValue + Run")]
    public float[] Raw()
    {
        using var input = OrtValue.CreateTensorValueFromMemory(_rows, _shape);
        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Per unit in the worker before the pipeline: the .npz slice read into NpyArrays, OnnxModelRunner.Run, the outputs written back through NpyArrays.</summary>
    [Benchmark(Description = "worker before: .npz → NpyArray → Run → NpyArray → .npz")]
    public byte[] WorkerThroughArrays() => Npz.ToBytes(_runner.Run(_modelSha256, Npz.Read(_inputNpz, new NpyLimits(_inputNpz.Length))));

    /// <summary>Per unit in the worker's pipeline: the .npz slice decoded straight into reused input tensors, run, the outputs encoded straight from ORT's.</summary>
    [Benchmark(Description = "worker: .npz → OrtValue, Run, OrtValue → .npz")]
    public byte[] Worker()
    {
        using var inputs = _runner.Decode(_modelSha256, _inputNpz);
        return _runner.RunToNpz(inputs);
    }

    /// <summary>The same, with the SHA-256 check the worker makes on every input blob it fetches.</summary>
    [Benchmark(Description = "worker, with the input blob's SHA-256 check")]
    public byte[] WorkerVerified()
    {
        if (!ContentHash.Matches(_inputNpz, _inputSha256))
        {
            throw new InvalidDataException("The input does not match its hash.");
        }

        using var inputs = _runner.Decode(_modelSha256, _inputNpz);
        return _runner.RunToNpz(inputs);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runner.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        GC.SuppressFinalize(this);
    }
}
