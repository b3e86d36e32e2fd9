using FleetMarket.Worker.Inference.Onnx;
using Google.Protobuf;
using DataType = FleetMarket.Worker.Inference.Onnx.TensorProto.Types.DataType;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>Small ONNX models for tests, written with the worker's own proto subset.</summary>
internal static class TestModels
{
    /// <summary>y = Identity(x), both of <paramref name="elementType"/> and shape [n, 2].</summary>
    public static byte[] Identity(DataType elementType) => Model(
        "identity",
        [Value("x", elementType, Symbolic("n"), Fixed(2))],
        [Value("y", elementType, Symbolic("n"), Fixed(2))],
        new NodeProto { OpType = "Identity", Input = { "x" }, Output = { "y" } });

    /// <summary>
    /// y = x * scale in float32, Mul broadcasting the scalar <c>scale</c> (rank 0) over <c>x</c>; x and y are
    /// [batch, 3], or a static [2, 3] when not <paramref name="batched"/>.
    /// </summary>
    public static byte[] Scale(bool batched = true)
    {
        TensorShapeProto.Types.Dimension Rows() => batched ? Symbolic("batch") : Fixed(2);
        return Model(
            "scale",
            [Value("x", DataType.Float, Rows(), Fixed(3)), Value("scale", DataType.Float)],
            [Value("y", DataType.Float, Rows(), Fixed(3))],
            new NodeProto { OpType = "Mul", Input = { "x", "scale" }, Output = { "y" } });
    }

    private static byte[] Model(string name, ValueInfoProto[] inputs, ValueInfoProto[] outputs, NodeProto node) => new ModelProto
    {
        IrVersion = 8,
        OpsetImport = { new OperatorSetIdProto { Version = 17 } },
        Graph = new GraphProto { Name = name, Input = { inputs }, Output = { outputs }, Node = { node } },
    }.ToByteArray();

    /// <summary>A tensor of the given dimensions; none makes a scalar (a shape present but empty, not an unknown one).</summary>
    private static ValueInfoProto Value(string name, DataType elementType, params TensorShapeProto.Types.Dimension[] dimensions) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = new TensorShapeProto { Dim = { dimensions } } },
        },
    };

    private static TensorShapeProto.Types.Dimension Symbolic(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Fixed(long size) => new() { DimValue = size };
}
