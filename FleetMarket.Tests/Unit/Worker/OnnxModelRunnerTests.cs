using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Inference.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Tests.Unit.Worker;

public sealed class OnnxModelRunnerTests : IDisposable
{
    private readonly OnnxModelRunner _runner = new(new ExecutionProviderSelector());

    public static TheoryData<TensorProto.Types.DataType, string> ElementTypes => new()
    {
        { TensorProto.Types.DataType.Float, NpyDType.Float32 },
        { TensorProto.Types.DataType.Float16, NpyDType.Float16 },
        { TensorProto.Types.DataType.Double, NpyDType.Float64 },
        { TensorProto.Types.DataType.Int64, NpyDType.Int64 },
        { TensorProto.Types.DataType.Int32, NpyDType.Int32 },
        { TensorProto.Types.DataType.Uint8, NpyDType.UInt8 },
        { TensorProto.Types.DataType.Bool, NpyDType.Bool },
    };

    public void Dispose() => _runner.Dispose();

    [Fact]
    public void Run_ReferenceModel_MatchesPlainCSharpWithin1e5()
    {
        var features = NpyArray.FromFloats([.. Enumerable.Range(0, 64 * 4).Select(i => MathF.Sin(i * 0.37f) * 3)], 64, 4);

        var outputs = _runner.Run(ReferenceModel.Build(), Inputs(features));

        var scores = Assert.Single(outputs);
        Assert.Equal(ReferenceModel.OutputName, scores.Key);
        Assert.Equal(NpyDType.Float32, scores.Value.DType);
        Assert.Equal([64, 3], scores.Value.Shape);
        Assert.Equal(ReferenceModel.Compute(features).ToFloats(), scores.Value.ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Run_ZeroRows_ReturnsZeroRows()
    {
        var outputs = _runner.Run(ReferenceModel.Build(), Inputs(NpyArray.FromFloats([], 0, 4)));

        Assert.Equal([0, 3], outputs[ReferenceModel.OutputName].Shape);
    }

    [Theory]
    [MemberData(nameof(ElementTypes))]
    public void Run_IdentityModel_RoundTripsEveryDtype(TensorProto.Types.DataType elementType, string dtype)
    {
        var input = TestArrays.Sequential(dtype, 3, 2);

        var outputs = _runner.Run(TestModels.Identity(elementType), new Dictionary<string, NpyArray> { ["x"] = input });

        var y = outputs["y"];
        Assert.Equal(dtype, y.DType);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal(input.Data, y.Data);
    }

    [Fact]
    public void Run_ScalarInputBesideBatchedOne_BroadcastsTheScalar()
    {
        var x = NpyArray.FromFloats([1, 2, 3, -4, 5, 6], 2, 3);
        var scale = NpyArray.FromFloats([2.5f]);

        var outputs = _runner.Run(TestModels.Scale(), new Dictionary<string, NpyArray> { ["x"] = x, ["scale"] = scale });

        Assert.Equal([2, 3], outputs["y"].Shape);
        Assert.Equal([2.5f, 5, 7.5f, -10, 12.5f, 15], outputs["y"].ToFloats());
    }

    [Theory]
    [InlineData(new[] { 10, 5 }, "has shape (10, 5), but the model expects (batch, 4)")]
    [InlineData(new[] { 40 }, "has shape (40), but the model expects (batch, 4)")]
    [InlineData(new[] { 2, 5, 4 }, "has shape (2, 5, 4), but the model expects (batch, 4)")]
    public void Run_WrongInputShape_ThrowsModelInputException(int[] shape, string expected)
    {
        var features = new NpyArray(NpyDType.Float32, shape, new byte[shape.Aggregate(4, (a, b) => a * b)]);

        var error = Assert.Throws<ModelInputException>(() => _runner.Run(ReferenceModel.Build(), Inputs(features)));

        Assert.Equal($"Input 'features' {expected}.", error.Message);
    }

    [Fact]
    public void Run_WrongDtype_ThrowsModelInputException()
    {
        var features = new NpyArray(NpyDType.Float64, [2, 4], new byte[64]);

        var error = Assert.Throws<ModelInputException>(() => _runner.Run(ReferenceModel.Build(), Inputs(features)));

        Assert.Contains("must have dtype '<f4'", error.Message);
        Assert.Contains("has '<f8'", error.Message);
    }

    [Fact]
    public void Run_InputUnderWrongName_ThrowsNamingBoth()
    {
        var inputs = new Dictionary<string, NpyArray> { ["x"] = ReferenceModel.SampleInputs() };

        var error = Assert.Throws<ModelInputException>(() => _runner.Run(ReferenceModel.Build(), inputs));

        Assert.Equal("The model takes inputs 'features'; missing 'features'; not in the model 'x'.", error.Message);
    }

    [Fact]
    public void LoadModel_SameBytesTwice_LoadsOnceUnderItsSha256()
    {
        var model = ReferenceModel.Build();

        var sha = _runner.LoadModel(model);

        Assert.Equal(sha, _runner.LoadModel(model));
        Assert.Equal(ContentHash.Sha256(model), sha);
        Assert.True(_runner.IsLoaded(sha));
        Assert.True(_runner.IsLoaded(sha.ToUpperInvariant()));
    }

    [Fact]
    public void LoadModel_NotAModel_ThrowsOnnxRuntimeException()
    {
        Assert.ThrowsAny<OnnxRuntimeException>(() => _runner.LoadModel("not an onnx model"u8.ToArray()));
    }

    [Fact]
    public void Run_ModelNotLoaded_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _runner.Run(new string('0', 64), Inputs(ReferenceModel.SampleInputs())));

        Assert.Contains("not loaded", error.Message);
    }

    [Fact]
    public void LoadModel_BeyondCapacity_EvictsLeastRecentlyUsed()
    {
        using var small = new OnnxModelRunner(new ExecutionProviderSelector(), capacity: 2);
        var reference = small.LoadModel(ReferenceModel.Build());
        var floats = small.LoadModel(TestModels.Identity(TensorProto.Types.DataType.Float));
        small.Run(reference, Inputs(ReferenceModel.SampleInputs()));

        var doubles = small.LoadModel(TestModels.Identity(TensorProto.Types.DataType.Double));

        Assert.True(small.IsLoaded(reference));
        Assert.False(small.IsLoaded(floats));
        Assert.True(small.IsLoaded(doubles));
        Assert.Single(small.Run(reference, Inputs(ReferenceModel.SampleInputs())));
    }

    [Fact]
    public async Task Run_ManyThreadsOnOneSession_AllGetTheirOwnAnswers()
    {
        var sha = _runner.LoadModel(ReferenceModel.Build());

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(rows => Task.Run(() =>
        {
            var inputs = ReferenceModel.SampleInputs(rows);
            return (Expected: ReferenceModel.Compute(inputs), Actual: _runner.Run(sha, Inputs(inputs))[ReferenceModel.OutputName]);
        })));

        Assert.All(results, r => Assert.Equal(r.Expected.ToFloats(), r.Actual.ToFloats(), (a, b) => Math.Abs(a - b) <= 1e-5f));
    }

    [Fact]
    public void Run_AlreadyCancelled_ThrowsOperationCanceled()
    {
        Assert.ThrowsAny<OperationCanceledException>(
            () => _runner.Run(ReferenceModel.Build(), Inputs(ReferenceModel.SampleInputs()), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void ExecutionProvider_OnThisMachine_IsCpu()
    {
        Assert.Equal(ExecutionProviderSelector.Cpu, _runner.ExecutionProvider);
    }

    private static Dictionary<string, NpyArray> Inputs(NpyArray features) => new() { [ReferenceModel.InputName] = features };
}
