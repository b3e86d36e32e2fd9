using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// One unit's inputs decoded for <see cref="OnnxModelRunner.RunToNpz"/>: tensors in the model's input order, checked
/// against its names, element types and shapes. Disposing gives the buffers back for the next unit.
/// </summary>
public sealed class OrtInputs : IDisposable
{
    private readonly TensorBufferPool _pool;
    private OrtValue[]? _values;

    internal OrtInputs(string modelSha256, OrtValue[] values, TensorBufferPool pool)
    {
        ModelSha256 = modelSha256;
        _values = values;
        _pool = pool;
    }

    public string ModelSha256 { get; }

    internal IReadOnlyList<OrtValue> Values => _values ?? throw new ObjectDisposedException(nameof(OrtInputs));

    public void Dispose()
    {
        foreach (var value in Interlocked.Exchange(ref _values, null) ?? [])
        {
            _pool.Return(value);
        }
    }
}
