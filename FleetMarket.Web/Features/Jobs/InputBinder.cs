using FleetMarket.Domain;
using FleetMarket.Domain.Tensors;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Matches uploaded NumPy arrays to a model's inputs: a <c>.npy</c> feeds a model with one input, a
/// <c>.npz</c> names each input. Dtypes and shapes are checked here, before anything is queued.
/// <para>
/// An input is <em>batched</em> when the model declares its first dimension dynamic (symbolic or unknown),
/// the ONNX convention for a batch axis: its array's first dimension is the rows, which the work units
/// share out. Any other input (a scalar, or a static first dimension) is <em>whole</em>: its array must have
/// the model's shape and goes unchanged into every unit. In both, a later dynamic dimension takes any size.
/// All batched inputs must have the same number of rows, at least one. A model with no batched input
/// makes a job of one row, run as one unit.
/// </para>
/// </summary>
public static class InputBinder
{
    public static BoundInputs Bind(ModelSignature model, string fileName, byte[] content)
    {
        var arrays = Read(model, fileName, content);
        var missing = model.Inputs.Select(i => i.Name).Except(arrays.Keys).ToList();
        var unknown = arrays.Keys.Except(model.Inputs.Select(i => i.Name)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new DomainException(
                $"The inputs must be exactly the model's: {Describe(model)}. Missing: [{string.Join(", ", missing)}]; unknown: [{string.Join(", ", unknown)}].");
        }

        var batched = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        var whole = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var input in model.Inputs)
        {
            var array = arrays[input.Name];
            Check(input, array);
            (input.IsBatched ? batched : whole).Add(input.Name, array);
        }

        return new BoundInputs(batched, whole, Rows(batched));
    }

    private static IReadOnlyDictionary<string, NpyArray> Read(ModelSignature model, string fileName, byte[] content)
    {
        try
        {
            if (fileName.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            {
                return Npz.Read(new MemoryStream(content));
            }

            if (model.Inputs.Count != 1)
            {
                throw new DomainException($"The model takes {model.Inputs.Count} inputs ({Describe(model)}): upload them as one .npz.");
            }

            return new Dictionary<string, NpyArray> { [model.Inputs[0].Name] = Npy.Read(content) };
        }
        catch (Exception exception) when (exception is NpyFormatException or InvalidDataException)
        {
            throw new DomainException($"The inputs file '{fileName}' is not valid NumPy data: {exception.Message}");
        }
    }

    private static void Check(TensorSignature input, NpyArray array)
    {
        if (array.DType != input.DType)
        {
            throw new DomainException($"Input '{input.Name}' must be {input.DType}; the file holds {array.DType}.");
        }

        var fits = array.Shape.Length == input.Dimensions.Length
            && array.Shape.Zip(input.Dimensions).All(pair => pair.Second < 0 || pair.First == pair.Second);
        if (input.IsBatched && (!fits || array.RowCount == 0))
        {
            throw new DomainException(
                $"Input '{input.Name}' has shape {Shape(array)}; the model expects {input.Shape}, with one row or more along the first dimension.");
        }

        if (!fits)
        {
            var expected = input.Dimensions.Length == 0 ? "[] (a scalar)" : input.Shape;
            throw new DomainException(
                $"Input '{input.Name}' has shape {Shape(array)}; the model expects {expected}, which is passed whole to every work unit.");
        }
    }

    private static int Rows(IReadOnlyDictionary<string, NpyArray> batched) =>
        batched.Values.Select(a => a.RowCount).Distinct().ToList() switch
        {
            [] => 1,
            [var rows] => rows,
            _ => throw new DomainException(
                $"All batched inputs must have the same number of rows (first dimension); found {string.Join(", ", batched.Select(b => $"'{b.Key}' {Shape(b.Value)}"))}."),
        };

    private static string Shape(NpyArray array) => $"[{string.Join(", ", array.Shape)}]";

    private static string Describe(ModelSignature model) => string.Join("; ", model.Inputs);
}
