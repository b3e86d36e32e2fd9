using FleetMarket.Domain;
using FleetMarket.Protocol.Tensors;

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
/// <para>
/// Each array's header is checked before its data is read, and the file may inflate to no more than the
/// configured input limit: a small compressed upload must not be able to claim gigabytes of memory.
/// </para>
/// </summary>
public static class InputBinder
{
    /// <param name="maxBytes">The most the arrays may take once inflated.</param>
    public static BoundInputs Bind(ModelSignature model, string fileName, byte[] content, long maxBytes)
    {
        var arrays = Read(model, fileName, content, new NpyLimits(maxBytes, (name, dtype, shape) => Check(model, name, dtype, shape)));
        // Arrays the model has no input for were refused by their headers; inputs with no array are found here.
        var missing = model.Inputs.Select(i => i.Name).Except(arrays.Keys).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException($"The inputs must be exactly the model's: {Describe(model)}. Missing: [{string.Join(", ", missing)}].");
        }

        var batched = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        var whole = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var input in model.Inputs)
        {
            (input.IsBatched ? batched : whole).Add(input.Name, arrays[input.Name]);
        }

        return new BoundInputs(batched, whole, Rows(batched));
    }

    private static IReadOnlyDictionary<string, NpyArray> Read(ModelSignature model, string fileName, byte[] content, NpyLimits limits)
    {
        try
        {
            if (fileName.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            {
                return Npz.Read(content, limits);
            }

            if (model.Inputs.Count != 1)
            {
                throw new DomainException($"The model takes {model.Inputs.Count} inputs ({Describe(model)}): upload them as one .npz.");
            }

            var name = model.Inputs[0].Name;
            return new Dictionary<string, NpyArray> { [name] = Npy.Read(content, name, limits) };
        }
        catch (Exception exception) when (exception is NpyFormatException or InvalidDataException)
        {
            throw new DomainException($"The inputs file '{fileName}' is not valid NumPy data: {exception.Message}");
        }
    }

    /// <summary>An array's header against the model, before its data is read: an array the model cannot take is not worth inflating.</summary>
    private static void Check(ModelSignature model, string name, string dtype, int[] shape)
    {
        var input = model.Inputs.FirstOrDefault(i => i.Name == name)
                    ?? throw new DomainException($"The inputs must be exactly the model's: {Describe(model)}. The model has no input '{name}'.");
        if (dtype != input.DType)
        {
            throw new DomainException($"Input '{input.Name}' must be {input.DType}; the file holds {dtype}.");
        }

        var fits = shape.Length == input.Dimensions.Length
            && shape.Zip(input.Dimensions).All(pair => pair.Second < 0 || pair.First == pair.Second);
        if (input.IsBatched && (!fits || shape[0] == 0))
        {
            throw new DomainException(
                $"Input '{input.Name}' has shape {Shape(shape)}; the model expects {input.Shape}, with one row or more along the first dimension.");
        }

        if (!fits)
        {
            var expected = input.Dimensions.Length == 0 ? "[] (a scalar)" : input.Shape;
            throw new DomainException(
                $"Input '{input.Name}' has shape {Shape(shape)}; the model expects {expected}, which is passed whole to every work unit.");
        }
    }

    private static int Rows(IReadOnlyDictionary<string, NpyArray> batched) =>
        batched.Values.Select(a => a.RowCount).Distinct().ToList() switch
        {
            [] => 1,
            [var rows] => rows,
            _ => throw new DomainException(
                $"All batched inputs must have the same number of rows (first dimension); found {string.Join(", ", batched.Select(b => $"'{b.Key}' {Shape(b.Value.Shape)}"))}."),
        };

    private static string Shape(int[] shape) => $"[{string.Join(", ", shape)}]";

    private static string Describe(ModelSignature model) => string.Join("; ", model.Inputs);
}
