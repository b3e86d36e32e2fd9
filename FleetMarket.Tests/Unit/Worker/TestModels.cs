using FleetMarket.Worker.Inference.Onnx;
using Google.Protobuf;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>Small ONNX models for tests, written with the worker's own proto subset.</summary>
internal static class TestModels
{
    /// <summary>y = Identity(x), both of <paramref name="elementType"/> and shape [n, 2].</summary>
    public static byte[] Identity(TensorProto.Types.DataType elementType) => new ModelProto
    {
        IrVersion = 8,
        OpsetImport = { new OperatorSetIdProto { Version = 17 } },
        Graph = new GraphProto
        {
            Name = "identity",
            Input = { Value("x", elementType) },
            Output = { Value("y", elementType) },
            Node = { new NodeProto { OpType = "Identity", Input = { "x" }, Output = { "y" } } },
        },
    }.ToByteArray();

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType elementType) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)elementType,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "n" },
                        new TensorShapeProto.Types.Dimension { DimValue = 2 },
                    },
                },
            },
        },
    };
}
