using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Input tensors kept for the next unit of the same shape: a job's units mostly share their row count, so after
/// the first two (one running, one being decoded) no input buffer is allocated again. Bounded, because a worker
/// lives for weeks and meets many shapes: a shape not kept is simply allocated, and a tensor not wanted is freed.
/// </summary>
internal sealed class TensorBufferPool(int maxKept = TensorBufferPool.DefaultMaxKept) : IDisposable
{
    /// <summary>Two units' inputs in flight at once (one running, the next decoded), of a few inputs each.</summary>
    public const int DefaultMaxKept = 8;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Key, OrtValue Value)> _kept = new();

    public OrtValue Rent(TensorElementType elementType, int[] shape)
    {
        var key = KeyOf(elementType, shape);
        lock (_gate)
        {
            for (var node = _kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _kept.Remove(node);
                    return node.Value.Value;
                }
            }
        }

        return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, elementType, Array.ConvertAll(shape, dimension => (long)dimension));
    }

    public void Return(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var key = KeyOf(info.ElementDataType, Array.ConvertAll(info.Shape, dimension => (int)dimension));
        OrtValue? dropped = null;
        lock (_gate)
        {
            _kept.AddFirst((key, value));
            if (_kept.Count > maxKept)
            {
                dropped = _kept.Last!.Value.Value;
                _kept.RemoveLast();
            }
        }

        dropped?.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (_, value) in _kept)
            {
                value.Dispose();
            }

            _kept.Clear();
        }
    }

    private static string KeyOf(TensorElementType elementType, int[] shape) => $"{elementType}:{string.Join(',', shape)}";
}
