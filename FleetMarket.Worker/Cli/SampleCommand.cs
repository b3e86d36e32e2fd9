using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using FleetMarket.Worker.Work;

namespace FleetMarket.Worker.Cli;

/// <summary><c>sample --out DIR</c>: a model and inputs to try the marketplace with, from <see cref="ReferenceModel"/>.</summary>
public sealed record SampleCommand(string OutDirectory) : IWorkerCommand
{
    public const string ModelFileName = "mlp.onnx";
    public const string InputsFileName = "inputs.npy";

    public async Task<int> ExecuteAsync(TextWriter output, TextWriter error)
    {
        try
        {
            Directory.CreateDirectory(OutDirectory);
            var modelPath = Path.Combine(OutDirectory, ModelFileName);
            var inputsPath = Path.Combine(OutDirectory, InputsFileName);
            var inputs = ReferenceModel.SampleInputs();
            await File.WriteAllBytesAsync(modelPath, ReferenceModel.Build());
            await File.WriteAllBytesAsync(inputsPath, Npy.ToBytes(inputs));
            await output.WriteLineAsync($"Wrote {modelPath} ({ReferenceModel.InputName} [batch, {ReferenceModel.InputWidth}] -> {ReferenceModel.OutputName} [batch, {ReferenceModel.OutputWidth}])");
            await output.WriteLineAsync($"Wrote {inputsPath} ({inputs})");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot write the sample to '{OutDirectory}': {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
