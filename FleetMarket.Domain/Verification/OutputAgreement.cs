using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Domain.Verification;

/// <summary>Whether two devices' outputs for one unit are the same answer, within a policy's tolerances.</summary>
public static class OutputAgreement
{
    public static bool Agree(IReadOnlyDictionary<string, NpyArray> left, IReadOnlyDictionary<string, NpyArray> right,
        double absoluteTolerance, double relativeTolerance)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (name, a) in left)
        {
            if (!right.TryGetValue(name, out var b) || a.DType != b.DType || !a.Shape.AsSpan().SequenceEqual(b.Shape)
                || !Close(a, b, absoluteTolerance, relativeTolerance))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Close(NpyArray a, NpyArray b, double absoluteTolerance, double relativeTolerance)
    {
        for (var i = 0L; i < a.ElementCount; i++)
        {
            var x = Element(a, i);
            var y = Element(b, i);
            // NaN agrees only with NaN, and an infinity only with itself: as numpy's isclose with equal_nan.
            if (double.IsNaN(x) || double.IsNaN(y) || double.IsInfinity(x) || double.IsInfinity(y))
            {
                if (!x.Equals(y))
                {
                    return false;
                }
            }
            else if (Math.Abs(x - y) > absoluteTolerance + relativeTolerance * Math.Abs(y))
            {
                return false;
            }
        }

        return true;
    }

    private static double Element(NpyArray array, long index)
    {
        var bytes = array.Data.AsSpan((int)(index * array.ItemSize), array.ItemSize);
        return array.DType switch
        {
            NpyDType.Float16 => (double)BitConverter.ToHalf(bytes),
            NpyDType.Float32 => BitConverter.ToSingle(bytes),
            NpyDType.Float64 => BitConverter.ToDouble(bytes),
            NpyDType.Int32 => BitConverter.ToInt32(bytes),
            NpyDType.Int64 => BitConverter.ToInt64(bytes),
            NpyDType.UInt8 or NpyDType.Bool => bytes[0],
            _ => throw new NotSupportedException($"Outputs of dtype {array.DType} cannot be compared."),
        };
    }
}
