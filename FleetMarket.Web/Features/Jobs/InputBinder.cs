using FleetMarket.Domain;
using FleetMarket.Domain.Tensors;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Matches uploaded NumPy arrays to a model's inputs: a <c>.npy</c> feeds a model with one input, a
/// <c>.npz</c> names each input. Shapes and dtypes are checked here, before anything is queued.
/// </summary>
public static class InputBinder
{
    public static (IReadOnlyDictionary<string, NpyArray> Inputs, int Rows) Bind(ModelSignature model, string fileName, byte[] content)
    {
        var arrays = Read(model, fileName, content);
        var missing = model.Inputs.Select(i => i.Name).Except(arrays.Keys).ToList();
        var unknown = arrays.Keys.Except(model.Inputs.Select(i => i.Name)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new DomainException(
                $"The inputs must be exactly the model's: {Describe(model)}. Missing: [{string.Join(", ", missing)}]; unknown: [{string.Join(", ", unknown)}].");
        }

        foreach (var input in model.Inputs)
        {
            Check(input, arrays[input.Name]);
        }

        var rows = arrays.Values.Select(a => a.RowCount).Distinct().ToList();
        return rows.Count == 1
            ? (arrays, rows[0])
            : throw new DomainException($"All inputs must have the same number of rows (first dimension); found {string.Join(", ", rows)}.");
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

        var fits = array.Shape.Length == input.Dimensions.Length && array.Shape.Length > 0
            && array.Shape.Zip(input.Dimensions).Skip(1).All(pair => pair.Second < 0 || pair.First == pair.Second);
        if (!fits || array.RowCount == 0)
        {
            throw new DomainException(
                $"Input '{input.Name}' has shape [{string.Join(", ", array.Shape)}]; the model expects {input} with at least one row.");
        }
    }

    private static string Describe(ModelSignature model) => string.Join("; ", model.Inputs);
}
