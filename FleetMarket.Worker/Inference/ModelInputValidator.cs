using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// Checks inputs against the model's declared names, element types and shapes before ONNX Runtime
/// sees them, because its own errors name kernels and internal buffers rather than the input at fault.
/// </summary>
internal static class ModelInputValidator
{
    public static void Validate(IReadOnlyDictionary<string, NodeMetadata> expected, IReadOnlyDictionary<string, NpyArray> inputs)
    {
        ValidateNames(expected, [.. inputs.Keys]);
        foreach (var (name, array) in inputs)
        {
            ValidateArray(expected, name, array.DType, array.Shape);
        }
    }

    /// <summary>The inputs given are exactly the model's.</summary>
    public static void ValidateNames(IReadOnlyDictionary<string, NodeMetadata> expected, IReadOnlyCollection<string> given)
    {
        var missing = expected.Keys.Where(name => !given.Contains(name)).ToList();
        var unexpected = given.Where(name => !expected.ContainsKey(name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new ModelInputException(
                $"The model takes inputs {Quote(expected.Keys)}"
                + (missing.Count > 0 ? $"; missing {Quote(missing)}" : string.Empty)
                + (unexpected.Count > 0 ? $"; not in the model {Quote(unexpected)}" : string.Empty)
                + ".");
        }
    }

    /// <summary>One array fits the model's input of its name: judged from its header alone, before its data is read.</summary>
    public static void ValidateArray(IReadOnlyDictionary<string, NodeMetadata> expected, string name, string dtype, int[] shape)
    {
        if (!expected.TryGetValue(name, out var metadata))
        {
            throw new ModelInputException($"The model takes inputs {Quote(expected.Keys)}; not in the model {Quote([name])}.");
        }

        if (!metadata.IsTensor || !OnnxElementTypes.TryGetDType((int)metadata.ElementDataType, out var expectedDType))
        {
            throw new ModelInputException(
                $"Input '{name}' takes {(metadata.IsTensor ? metadata.ElementDataType + " tensors" : metadata.OnnxValueType.ToString())}; "
                + $"only tensors of {OnnxElementTypes.DescribeSupported()} can be fed from .npy arrays.");
        }

        if (dtype != expectedDType)
        {
            throw new ModelInputException($"Input '{name}' must have dtype '{expectedDType}' ({metadata.ElementDataType}), but the array has '{dtype}'.");
        }

        if (!ShapeFits(metadata, shape))
        {
            throw new ModelInputException(
                $"Input '{name}' has shape {NpyShape(shape)}, but the model expects {ModelShape(metadata)}.");
        }
    }

    private static bool ShapeFits(NodeMetadata metadata, int[] shape)
    {
        var dimensions = metadata.Dimensions;
        if (dimensions.Length != shape.Length)
        {
            return false;
        }

        for (var axis = 0; axis < shape.Length; axis++)
        {
            // A negative dimension is symbolic ("batch"): any size fits.
            if (dimensions[axis] >= 0 && dimensions[axis] != shape[axis])
            {
                return false;
            }
        }

        return true;
    }

    private static string ModelShape(NodeMetadata metadata) =>
        "(" + string.Join(", ", metadata.Dimensions.Select((size, axis) => size >= 0 ? size.ToString() : SymbolOrQuestionMark(metadata, axis))) + ")";

    private static string SymbolOrQuestionMark(NodeMetadata metadata, int axis) =>
        axis < metadata.SymbolicDimensions.Length && !string.IsNullOrEmpty(metadata.SymbolicDimensions[axis])
            ? metadata.SymbolicDimensions[axis]
            : "?";

    private static string NpyShape(int[] shape) => "(" + string.Join(", ", shape) + ")";

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"'{name}'"));
}
