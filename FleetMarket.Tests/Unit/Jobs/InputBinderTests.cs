using FleetMarket.Domain;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Web.Features.Jobs;

namespace FleetMarket.Tests.Unit.Jobs;

public class InputBinderTests
{
    private static readonly TensorSignature BatchedX = new("x", NpyDType.Float32, [-1, 3]);
    private static readonly TensorSignature ScalarScale = new("scale", NpyDType.Float32, []);

    [Fact]
    public void Bind_ScalarBesideBatchedInput_RowsFromBatched_ScalarWholeInEveryUnit()
    {
        var x = TestArrays.Sequential(NpyDType.Float32, 5, 3);
        var scale = TestArrays.Sequential(NpyDType.Float32);

        var bound = Bind(Model(BatchedX, ScalarScale), ("x", x), ("scale", scale));

        Assert.Equal(5, bound.Rows);
        Assert.Equal(["x"], bound.Batched.Keys);
        Assert.Equal(["scale"], bound.Whole.Keys);
        foreach (var (start, count) in new[] { (0, 2), (2, 2), (4, 1) })
        {
            var unit = bound.ForRows(start, count);
            TestArrays.AssertEqual(x.SliceRows(start, count), unit["x"]);
            TestArrays.AssertEqual(scale, unit["scale"]);
        }
    }

    [Fact]
    public void Bind_NoBatchedInput_OneRowAndEveryArrayWhole()
    {
        var weights = TestArrays.Sequential(NpyDType.Int64, 2, 7);
        var scale = TestArrays.Sequential(NpyDType.Float32);

        var bound = Bind(Model(new TensorSignature("w", NpyDType.Int64, [2, -1]), ScalarScale), ("w", weights), ("scale", scale));

        Assert.Equal(1, bound.Rows);
        Assert.Empty(bound.Batched);
        var unit = bound.ForRows(0, 1);
        TestArrays.AssertEqual(weights, unit["w"]);
        TestArrays.AssertEqual(scale, unit["scale"]);
    }

    [Theory]
    [InlineData(new[] { 3 }, "Input 'scale' has shape [3]; the model expects [] (a scalar), which is passed whole to every work unit.")]
    [InlineData(new[] { 1, 1 }, "Input 'scale' has shape [1, 1]; the model expects [] (a scalar), which is passed whole to every work unit.")]
    public void Bind_WholeInputOfWrongShape_ThrowsNamingInputShapeAndExpectation(int[] shape, string expected)
    {
        var error = Assert.Throws<DomainException>(() => Bind(Model(BatchedX, ScalarScale),
            ("x", TestArrays.Sequential(NpyDType.Float32, 4, 3)), ("scale", TestArrays.Sequential(NpyDType.Float32, shape))));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Bind_StaticInputOfWrongShape_ThrowsWithTheModelsShape()
    {
        var error = Assert.Throws<DomainException>(() => Bind(Model(new TensorSignature("w", NpyDType.Float32, [2, 2])),
            ("w", TestArrays.Sequential(NpyDType.Float32, 3, 2))));

        Assert.Equal("Input 'w' has shape [3, 2]; the model expects [2, 2], which is passed whole to every work unit.", error.Message);
    }

    [Theory]
    [InlineData(new int[0], "has shape []")]
    [InlineData(new[] { 0, 3 }, "has shape [0, 3]")]
    [InlineData(new[] { 4, 2 }, "has shape [4, 2]")]
    public void Bind_BatchedInputOfWrongShapeOrNoRows_ThrowsNamingInputShapeAndExpectation(int[] shape, string found)
    {
        var error = Assert.Throws<DomainException>(() => Bind(Model(BatchedX), ("x", TestArrays.Sequential(NpyDType.Float32, shape))));

        Assert.Equal($"Input 'x' {found}; the model expects [?, 3], with one row or more along the first dimension.", error.Message);
    }

    [Fact]
    public void Bind_BatchedInputsDisagreeOnRows_ThrowsNamingEach()
    {
        var mask = new TensorSignature("mask", NpyDType.Bool, [-1]);

        var error = Assert.Throws<DomainException>(() => Bind(Model(BatchedX, mask),
            ("x", TestArrays.Sequential(NpyDType.Float32, 5, 3)), ("mask", TestArrays.Sequential(NpyDType.Bool, 4))));

        Assert.Equal("All batched inputs must have the same number of rows (first dimension); found 'x' [5, 3], 'mask' [4].", error.Message);
    }

    [Fact]
    public void Bind_WholeInputOfWrongDtype_ThrowsNamingBoth()
    {
        var error = Assert.Throws<DomainException>(() => Bind(Model(BatchedX, ScalarScale),
            ("x", TestArrays.Sequential(NpyDType.Float32, 1, 3)), ("scale", TestArrays.Sequential(NpyDType.Float64))));

        Assert.Equal("Input 'scale' must be <f4; the file holds <f8.", error.Message);
    }

    [Fact]
    public void Bind_NpyForAScalarOnlyModel_OneRow()
    {
        var scale = TestArrays.Sequential(NpyDType.Float32);

        var bound = InputBinder.Bind(Model(ScalarScale), "scale.npy", Npy.ToBytes(scale), Array.MaxLength);

        Assert.Equal(1, bound.Rows);
        TestArrays.AssertEqual(scale, bound.ForRows(0, 1)["scale"]);
    }

    [Theory]
    [InlineData("x", new[] { 4, 5 }, "Input 'x' has shape [4, 5]")]
    [InlineData("z", new[] { 4, 3 }, "The model has no input 'z'")]
    public void Bind_NpzEntryTheModelCannotTake_RefusedByItsHeaderBeforeItsDataIsRead(string name, int[] shape, string expected)
    {
        // A header and no data at all: judged by the header, it never gets as far as finding the data missing.
        using var archive = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(archive, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(name + ".npy").Open();
            Npy.WriteHeader(entry, NpyDType.Float32, shape);
        }

        var error = Assert.Throws<DomainException>(() => InputBinder.Bind(Model(BatchedX), "inputs.npz", archive.ToArray(), Array.MaxLength));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Bind_ArraysLargerThanTheLimit_RefusedAsNotValidNumPyData()
    {
        var inputs = Npy.ToBytes(TestArrays.Sequential(NpyDType.Float32, 100, 3));

        var error = Assert.Throws<DomainException>(() => InputBinder.Bind(Model(BatchedX), "inputs.npy", inputs, maxBytes: 1000));

        Assert.Contains("more than the", error.Message);
    }

    private static ModelSignature Model(params TensorSignature[] inputs) =>
        new(inputs, [new TensorSignature("y", NpyDType.Float32, [-1, 3])]);

    private static BoundInputs Bind(ModelSignature model, params (string Name, NpyArray Array)[] arrays) =>
        InputBinder.Bind(model, "inputs.npz", Npz.ToBytes(arrays.ToDictionary(a => a.Name, a => a.Array)), Array.MaxLength);
}
