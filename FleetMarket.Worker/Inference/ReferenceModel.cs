using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Inference.Onnx;
using Google.Protobuf;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// A tiny multilayer perceptron (features[batch, 4] → Gemm → Relu → Gemm → scores[batch, 3]) built in
/// memory. Its weights come from a fixed formula, so its bytes never change: it serves as the sample
/// model, the benchmark, and a model whose exact answers tests can compute without ONNX Runtime.
/// </summary>
public static class ReferenceModel
{
    public const string InputName = "features";
    public const string OutputName = "scores";
    public const int InputWidth = 4;
    public const int HiddenWidth = 8;
    public const int OutputWidth = 3;

    private const long IrVersion = 8;
    private const long OpsetVersion = 17;

    // Weights are stored [out, in] and applied with Gemm's transB = 1, the layout PyTorch exports.
    private static readonly float[] Weights1 = Formula(HiddenWidth * InputWidth, seed: 1);
    private static readonly float[] Bias1 = Formula(HiddenWidth, seed: 2);
    private static readonly float[] Weights2 = Formula(OutputWidth * HiddenWidth, seed: 3);
    private static readonly float[] Bias2 = Formula(OutputWidth, seed: 4);

    /// <summary>The model as ONNX bytes (IR version 8, opset 17).</summary>
    public static byte[] Build()
    {
        var graph = new GraphProto
        {
            Name = "fleetmarket_reference_mlp",
            Input = { TensorValue(InputName, InputWidth) },
            Output = { TensorValue(OutputName, OutputWidth) },
            Initializer =
            {
                Initializer("w1", Weights1, HiddenWidth, InputWidth),
                Initializer("b1", Bias1, HiddenWidth),
                Initializer("w2", Weights2, OutputWidth, HiddenWidth),
                Initializer("b2", Bias2, OutputWidth),
            },
            Node =
            {
                Gemm("gemm1", [InputName, "w1", "b1"], "hidden"),
                new NodeProto { Name = "relu", OpType = "Relu", Input = { "hidden" }, Output = { "activated" } },
                Gemm("gemm2", ["activated", "w2", "b2"], OutputName),
            },
        };
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FleetMarket",
            ProducerVersion = "1",
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion } },
            Graph = graph,
        };
        return model.ToByteArray();
    }

    /// <summary>The model's output for <paramref name="features"/> ([rows, 4], float32), computed in plain C#.</summary>
    public static NpyArray Compute(NpyArray features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.DType != NpyDType.Float32 || features.Shape.Length != 2 || features.Shape[1] != InputWidth)
        {
            throw new ArgumentException($"Expected float32 features of shape (rows, {InputWidth}), got {features}.", nameof(features));
        }

        var input = features.ToFloats();
        var rows = features.RowCount;
        var scores = new float[rows * OutputWidth];
        var hidden = new float[HiddenWidth];
        for (var row = 0; row < rows; row++)
        {
            var x = input.AsSpan(row * InputWidth, InputWidth);
            for (var h = 0; h < HiddenWidth; h++)
            {
                hidden[h] = Math.Max(0f, Dot(x, Weights1.AsSpan(h * InputWidth, InputWidth)) + Bias1[h]);
            }

            for (var o = 0; o < OutputWidth; o++)
            {
                scores[(row * OutputWidth) + o] = Dot(hidden, Weights2.AsSpan(o * HiddenWidth, HiddenWidth)) + Bias2[o];
            }
        }

        return NpyArray.FromFloats(scores, rows, OutputWidth);
    }

    /// <summary>Deterministic float32 inputs of shape [rows, 4], negative and positive, so Relu matters.</summary>
    public static NpyArray SampleInputs(int rows = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var values = new float[rows * InputWidth];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ((i * 7 % 17) - 8) / 4f;
        }

        return NpyArray.FromFloats(values, rows, InputWidth);
    }

    /// <summary>Values in [-1, 1) on a 1/16 grid: exact in float32, so every platform stores the same bits.</summary>
    private static float[] Formula(int count, int seed)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (((((i + 1) * 11) + (seed * 5)) % 32) - 16) / 16f;
        }

        return values;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static ValueInfoProto TensorValue(string name, int width) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "batch" },
                        new TensorShapeProto.Types.Dimension { DimValue = width },
                    },
                },
            },
        },
    };

    private static TensorProto Initializer(string name, float[] values, params long[] dims) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { dims },
        FloatData = { values },
    };

    private static NodeProto Gemm(string name, string[] inputs, string output) => new()
    {
        Name = name,
        OpType = "Gemm",
        Input = { inputs },
        Output = { output },
        Attribute = { new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 } },
    };
}
