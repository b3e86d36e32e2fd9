using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Runs ONNX models on this device. Sessions are kept per model SHA-256, so a model is loaded once
/// however many work units use it; <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so so is this class.
/// </summary>
public sealed class OnnxModelRunner(ExecutionProviderSelector providers, int capacity = OnnxModelRunner.DefaultCapacity) : IDisposable
{
    /// <summary>How many models stay loaded at once.</summary>
    public const int DefaultCapacity = 4;

    private readonly SessionCache _sessions = new(capacity);
    private readonly TensorBufferPool _buffers = new();

    /// <summary>The execution provider models run on: "CUDA", "CPU"… (see <see cref="ExecutionProviderSelector"/>).</summary>
    public string ExecutionProvider => providers.ProviderName;

    public bool IsLoaded(string modelSha256) => _sessions.Contains(modelSha256);

    /// <summary>Loads the model unless it is loaded already, and returns its SHA-256 to run it by.</summary>
    /// <exception cref="OnnxRuntimeException">The bytes are not a model ONNX Runtime can load.</exception>
    public string LoadModel(byte[] modelBytes)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        var sha256 = ContentHash.Sha256(modelBytes);
        if (!_sessions.Contains(sha256))
        {
            using var options = providers.CreateSessionOptions(modelBytes.LongLength);
            _sessions.Add(sha256, new InferenceSession(modelBytes, options));
        }

        return sha256;
    }

    /// <summary>Runs the model on inputs keyed by the model's input names; returns its outputs by name.</summary>
    /// <exception cref="ModelInputException">The inputs do not match the model's names, dtypes or shapes.</exception>
    public IReadOnlyDictionary<string, NpyArray> Run(byte[] modelBytes, IReadOnlyDictionary<string, NpyArray> inputs, CancellationToken cancellationToken = default) =>
        Run(LoadModel(modelBytes), inputs, cancellationToken);

    /// <inheritdoc cref="Run(byte[], IReadOnlyDictionary{string, NpyArray}, CancellationToken)"/>
    public IReadOnlyDictionary<string, NpyArray> Run(string modelSha256, IReadOnlyDictionary<string, NpyArray> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return _sessions.Use(modelSha256, session => Run(session, inputs, cancellationToken));
    }

    /// <summary>Decodes a unit's <c>.npz</c> inputs straight into tensors for <see cref="RunToNpz"/>, reusing buffers of earlier units.</summary>
    /// <exception cref="ModelInputException">The inputs do not match the model's names, dtypes or shapes.</exception>
    /// <exception cref="NpyFormatException">The bytes are not a readable <c>.npz</c>.</exception>
    public OrtInputs Decode(string modelSha256, byte[] inputNpz)
    {
        ArgumentNullException.ThrowIfNull(inputNpz);
        return _sessions.Use(modelSha256, session => new OrtInputs(modelSha256, OrtNpz.Decode(session, inputNpz, _buffers), _buffers));
    }

    /// <summary>Runs the model the inputs were decoded for; returns its outputs as an <c>.npz</c> keyed by output name.</summary>
    public byte[] RunToNpz(OrtInputs inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return _sessions.Use(inputs.ModelSha256, session => RunWith(session, inputs.Values, cancellationToken,
            outputs => OrtNpz.Encode(session.OutputNames, outputs)));
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _buffers.Dispose();
    }

    private static OrderedDictionary<string, NpyArray> Run(InferenceSession session, IReadOnlyDictionary<string, NpyArray> inputs, CancellationToken cancellationToken)
    {
        ModelInputValidator.Validate(session.InputMetadata, inputs);
        var inputValues = new List<OrtValue>(session.InputNames.Count);
        try
        {
            foreach (var name in session.InputNames)
            {
                inputValues.Add(OrtTensors.ToOrtValue(inputs[name], session.InputMetadata[name].ElementDataType));
            }

            return RunWith(session, inputValues, cancellationToken, outputValues =>
            {
                var outputs = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
                for (var i = 0; i < outputValues.Count; i++)
                {
                    outputs.Add(session.OutputNames[i], OrtTensors.ToNpyArray(session.OutputNames[i], outputValues[i]));
                }

                return outputs;
            });
        }
        finally
        {
            inputValues.ForEach(value => value.Dispose());
        }
    }

    /// <summary>Runs the session and reads its outputs before they are freed.</summary>
    private static T RunWith<T>(InferenceSession session, IReadOnlyCollection<OrtValue> inputs, CancellationToken cancellationToken,
        Func<IReadOnlyList<OrtValue>, T> read)
    {
        try
        {
            using var runOptions = new RunOptions();
            using var stopOnCancel = cancellationToken.Register(() => runOptions.Terminate = true);
            cancellationToken.ThrowIfCancellationRequested();
            using var outputs = session.Run(runOptions, session.InputNames, inputs, session.OutputNames);
            return read(outputs);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // Terminate makes the run fail with a generic error; report it as the cancellation it is.
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
