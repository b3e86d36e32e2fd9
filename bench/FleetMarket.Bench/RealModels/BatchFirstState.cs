using FleetMarket.Worker.Inference.Onnx;
using Google.Protobuf;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// Gives a recurrent model's state a batch-first layout. Silero VAD keeps its state as [2, batch, 128] in and out:
/// the app splits every input and output along the first axis (InputBinder, CompletionService), so it would pass the
/// state whole to every unit and refuse every multi-row unit's results ("Output 'stateN' has shape [2, …]; the unit
/// has N rows"). The adapted model takes <c>state_rows</c> [batch, 2, 128] and returns <c>stateN_rows</c>
/// [batch, 2, 128], each through one Transpose around the package's unchanged graph; transposes move floats and
/// compute nothing, and <see cref="ModelLatency"/> checks once that the adapted model's outputs equal the original's.
/// <para>
/// The model is parsed with the worker's subset of onnx.proto: fields the subset lacks (subgraphs of If nodes,
/// metadata) are kept as unknown fields and written back unchanged.
/// </para>
/// </summary>
internal static class BatchFirstState
{
    public const string RowsStateInput = "state_rows";
    public const string RowsStateOutput = "stateN_rows";

    public static byte[] Adapt(byte[] model, string stateInput, string stateOutput, int stateWidth)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var input = graph.Input.Single(i => i.Name == stateInput);
        var output = graph.Output.Single(o => o.Name == stateOutput);
        var elementType = input.Type.TensorType.ElemType;

        graph.Input[graph.Input.IndexOf(input)] = BatchFirst(RowsStateInput, elementType, stateWidth);
        graph.Output[graph.Output.IndexOf(output)] = BatchFirst(RowsStateOutput, elementType, stateWidth);
        graph.Node.Insert(0, SwapFirstAxes(RowsStateInput, stateInput));
        graph.Node.Add(SwapFirstAxes(stateOutput, RowsStateOutput));
        return proto.ToByteArray();
    }

    private static ValueInfoProto BatchFirst(string name, int elementType, int width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = elementType,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "batch" },
                        new TensorShapeProto.Types.Dimension { DimValue = 2 },
                        new TensorShapeProto.Types.Dimension { DimValue = width },
                    },
                },
            },
        },
    };

    private static NodeProto SwapFirstAxes(string from, string to) => new()
    {
        Name = $"{from}_to_{to}",
        OpType = "Transpose",
        Input = { from },
        Output = { to },
        Attribute = { new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 0, 2 } } },
    };
}
