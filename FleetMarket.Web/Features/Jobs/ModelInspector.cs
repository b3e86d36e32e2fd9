using System.Text.RegularExpressions;
using FleetMarket.Domain;
using FleetMarket.Protocol.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>Validates an uploaded model by loading it in ONNX Runtime, and reads its inputs and outputs.</summary>
public sealed partial class ModelInspector
{
    public ModelSignature Inspect(byte[] model)
    {
        InferenceSession session;
        try
        {
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException exception)
        {
            // ORT prefixes its messages with its error code ("[ErrorCode:InvalidProtobuf] Load model from memory
            // failed:…"): said in words instead.
            throw new DomainException(exception.Message.StartsWith("[ErrorCode:InvalidProtobuf]", StringComparison.Ordinal)
                ? "The model could not be loaded by ONNX Runtime: the file is not an ONNX model (its bytes do not parse as one). Upload the .onnx file itself, as exported."
                : $"The model could not be loaded by ONNX Runtime: {ErrorCodePrefix().Replace(exception.Message, "")}");
        }

        using (session)
        {
            return new ModelSignature(Describe(session.InputMetadata), Describe(session.OutputMetadata));
        }
    }

    private static List<TensorSignature> Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        nodes.Select(node =>
        {
            if (!node.Value.IsTensor || !OnnxElementTypes.TryGetDType((int)node.Value.ElementDataType, out var dtype))
            {
                throw new DomainException(
                    $"'{node.Key}' is a {node.Value.ElementDataType} {node.Value.OnnxValueType}; supported are tensors of {OnnxElementTypes.DescribeSupported()}.");
            }

            return new TensorSignature(node.Key, dtype, node.Value.Dimensions);
        }).ToList();

    [GeneratedRegex(@"^\[ErrorCode:\w+\]\s*")]
    private static partial Regex ErrorCodePrefix();
}
