using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Inference.Onnx;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>Inputs decoded straight into tensors and outputs encoded straight from them give what the NpyArray path gives.</summary>
public sealed class OrtNpzTests : IDisposable
{
    private readonly OnnxModelRunner _runner = new(new ExecutionProviderSelector());

    public void Dispose() => _runner.Dispose();

    [Theory]
    [InlineData(TensorProto.Types.DataType.Float)]
    [InlineData(TensorProto.Types.DataType.Int64)]
    [InlineData(TensorProto.Types.DataType.Bool)]
    public void RunToNpz_IdentityModel_GivesTheSameBytesAsTheArrayPath(TensorProto.Types.DataType elementType)
    {
        var sha = _runner.LoadModel(TestModels.Identity(elementType));
        var dtype = OnnxElementTypes.TryGetDType((int)elementType, out var d) ? d : throw new InvalidOperationException();
        var x = new NpyArray(dtype, [3, 2], [.. Enumerable.Range(0, 6 * NpyDType.ItemSize(dtype)).Select(i => (byte)(i % 2))]);
        var inputNpz = Npz.ToBytes(new Dictionary<string, NpyArray> { ["x"] = x });

        using var inputs = _runner.Decode(sha, inputNpz);
        var outputs = _runner.RunToNpz(inputs);

        Assert.Equal(Npz.ToBytes(_runner.Run(sha, Npz.Read(inputNpz, TestArrays.Trusted))), outputs);
    }

    [Fact]
    public void Decode_UnitsOfTheSameShapeInTurn_EachRunsOnItsOwnRows()
    {
        var sha = _runner.LoadModel(ReferenceModel.Build());
        foreach (var seedRows in (int[])[5, 5, 7, 5])
        {
            var features = NpyArray.FromFloats([.. Enumerable.Range(0, seedRows * 4).Select(i => MathF.Cos(i * seedRows))], seedRows, 4);
            using var inputs = _runner.Decode(sha, Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = features }));

            var scores = Npz.Read(_runner.RunToNpz(inputs), TestArrays.Trusted)[ReferenceModel.OutputName];

            Assert.Equal(ReferenceModel.Compute(features).ToFloats(), scores.ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f);
        }
    }

    [Fact]
    public void Decode_FortranOrderInput_ReadsItInCOrder()
    {
        var sha = _runner.LoadModel(TestModels.Identity(TensorProto.Types.DataType.Float));
        // [[1, 2], [3, 4], [5, 6]] stored column by column.
        var inputNpz = NpzOf("x", NpyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2), }", NpyArray.FromFloats([1, 3, 5, 2, 4, 6], 6).Data));

        using var inputs = _runner.Decode(sha, inputNpz);

        Assert.Equal([1f, 2, 3, 4, 5, 6], Npz.Read(_runner.RunToNpz(inputs), TestArrays.Trusted)["y"].ToFloats());
    }

    [Fact]
    public void Decode_WrongShape_ThrowsModelInputExceptionNamingIt()
    {
        var sha = _runner.LoadModel(ReferenceModel.Build());
        var inputNpz = Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = NpyArray.FromFloats(new float[10], 2, 5) });

        var error = Assert.Throws<ModelInputException>(() => _runner.Decode(sha, inputNpz));

        Assert.Contains("(2, 5)", error.Message);
    }

    [Fact]
    public void Decode_InputMissing_ThrowsNamingIt()
    {
        var sha = _runner.LoadModel(TestModels.Scale());
        var inputNpz = Npz.ToBytes(new Dictionary<string, NpyArray> { ["x"] = NpyArray.FromFloats(new float[3], 1, 3) });

        var error = Assert.Throws<ModelInputException>(() => _runner.Decode(sha, inputNpz));

        Assert.Contains("missing 'scale'", error.Message);
    }

    private static byte[] NpyFile(string header, byte[] data)
    {
        var text = header + new string(' ', 63 - ((10 + header.Length) % 64)) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)text.Length, (byte)(text.Length >> 8), .. System.Text.Encoding.Latin1.GetBytes(text), .. data];
    }

    private static byte[] NpzOf(string name, byte[] npy)
    {
        using var stream = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name + ".npy").Open();
            entry.Write(npy);
        }

        return stream.ToArray();
    }
}
