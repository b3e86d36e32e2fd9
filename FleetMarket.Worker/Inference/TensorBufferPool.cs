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

    private readonly Lock gate = new();
    private readonly LinkedList<(string Key, OrtValue Value)> kept = new();

    public OrtValue Rent(TensorElementType elementType, int[] shape)
    {
        var key = KeyOf(elementType, shape);
        lock (gate)
        {
            for (var node = kept.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    kept.Remove(node);
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
        lock (gate)
        {
            kept.AddFirst((key, value));
            if (kept.Count > maxKept)
            {
                dropped = kept.Last!.Value.Value;
                kept.RemoveLast();
            }
        }

        dropped?.Dispose();
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var (_, value) in kept)
            {
                value.Dispose();
            }

            kept.Clear();
        }
    }

    private static string KeyOf(TensorElementType elementType, int[] shape) => $"{elementType}:{string.Join(',', shape)}";
}
