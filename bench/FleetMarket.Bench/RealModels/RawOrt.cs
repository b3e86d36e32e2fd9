using System.Diagnostics;
using System.Runtime.InteropServices;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// The floor: ONNX Runtime's C# API called directly, in this process, with the session options the worker uses
/// (<see cref="ExecutionProviderSelector.CreateSessionOptions"/>: one intra-op thread below 4 MiB, ORT's default
/// above), inputs already in memory as typed arrays, as a buyer's own script would hold them.
/// </summary>
internal static class RawOrt
{
    private static readonly ExecutionProviderSelector Providers = new();

    /// <summary>Session creation and one run over the whole batch; the outputs are copied out after the clock stops.</summary>
    public static (TimeSpan Took, IReadOnlyDictionary<string, NpyArray> Outputs) SessionAndRun(byte[] model, IReadOnlyDictionary<string, NpyArray> inputs)
    {
        var typed = Typed(inputs);
        var clock = Stopwatch.StartNew();
        using var options = Providers.CreateSessionOptions(model.LongLength);
        using var session = new InferenceSession(model, options);
        using var results = Run(session, typed);
        clock.Stop();
        return (clock.Elapsed, Copy(session, results));
    }

    /// <summary>
    /// A warm session (one untimed run first) run over each batch in turn, each run timed alone: what a device's units
    /// would cost with no marketplace around them. The outputs are copied out after each clock stops.
    /// </summary>
    public static IReadOnlyList<(TimeSpan Took, IReadOnlyDictionary<string, NpyArray> Outputs)> Loop(byte[] model,
        IReadOnlyList<IReadOnlyDictionary<string, NpyArray>> batches)
    {
        using var options = Providers.CreateSessionOptions(model.LongLength);
        using var session = new InferenceSession(model, options);
        using (Run(session, Typed(batches[0])))
        {
        }

        var runs = new List<(TimeSpan, IReadOnlyDictionary<string, NpyArray>)>();
        foreach (var batch in batches)
        {
            var typed = Typed(batch);
            var clock = Stopwatch.StartNew();
            using var results = Run(session, typed);
            clock.Stop();
            runs.Add((clock.Elapsed, Copy(session, results)));
        }

        return runs;
    }

    /// <summary>
    /// The worker's own runner (<see cref="OnnxModelRunner.Run(string, IReadOnlyDictionary{string, NpyArray}, CancellationToken)"/>:
    /// input checks, copies into and out of ORT's buffers) against raw ORT over the same batches in this process, both
    /// warm, the two runs of each batch side by side and every pass repeated, so that load from elsewhere on the machine
    /// falls on both alike: the worker's code without its process, its network and the app beside it. Each batch's
    /// median over the passes.
    /// </summary>
    public static (IReadOnlyList<TimeSpan> Raw, IReadOnlyList<TimeSpan> Runner) RawBesideRunner(byte[] model,
        IReadOnlyList<IReadOnlyDictionary<string, NpyArray>> batches, int passes)
    {
        using var options = Providers.CreateSessionOptions(model.LongLength);
        using var session = new InferenceSession(model, options);
        using var runner = new OnnxModelRunner(Providers);
        var sha256 = runner.LoadModel(model);
        using (Run(session, Typed(batches[0])))
        {
            runner.Run(sha256, batches[0]);
        }

        var raw = batches.Select(_ => new List<TimeSpan>()).ToList();
        var worker = batches.Select(_ => new List<TimeSpan>()).ToList();
        for (var pass = 0; pass < passes; pass++)
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var typed = Typed(batches[i]);
                var clock = Stopwatch.StartNew();
                using (Run(session, typed))
                {
                    raw[i].Add(clock.Elapsed);
                }

                clock.Restart();
                runner.Run(sha256, batches[i]);
                worker[i].Add(clock.Elapsed);
            }
        }

        return (raw.Select(Median).ToList(), worker.Select(Median).ToList());
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of every input with rows; scalars as they are.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Slice(IReadOnlyDictionary<string, NpyArray> inputs, int start, int count) =>
        inputs.ToDictionary(pair => pair.Key, pair => pair.Value.Shape.Length == 0 ? pair.Value : pair.Value.SliceRows(start, count));

    public static IReadOnlyList<string> OutputNames(byte[] model)
    {
        using var options = Providers.CreateSessionOptions(model.LongLength);
        using var session = new InferenceSession(model, options);
        return session.OutputNames.ToList();
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, IReadOnlyList<(string Name, Array Data, long[] Shape)> inputs)
    {
        var values = inputs.Select(input => input.Data switch
        {
            float[] floats => OrtValue.CreateTensorValueFromMemory(floats, input.Shape),
            long[] longs => OrtValue.CreateTensorValueFromMemory(longs, input.Shape),
            _ => throw new NotSupportedException($"Input '{input.Name}' holds {input.Data.GetType().Name}."),
        }).ToList();
        try
        {
            using var runOptions = new RunOptions();
            return session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, session.OutputNames);
        }
        finally
        {
            values.ForEach(value => value.Dispose());
        }
    }

    private static List<(string Name, Array Data, long[] Shape)> Typed(IReadOnlyDictionary<string, NpyArray> inputs) =>
        inputs.Select(pair => (pair.Key, pair.Value.DType switch
        {
            NpyDType.Float32 => (Array)MemoryMarshal.Cast<byte, float>(pair.Value.Data).ToArray(),
            NpyDType.Int64 => MemoryMarshal.Cast<byte, long>(pair.Value.Data).ToArray(),
            var other => throw new NotSupportedException($"Input '{pair.Key}' is {other}."),
        }, Array.ConvertAll(pair.Value.Shape, d => (long)d))).ToList();

    private static OrderedDictionary<string, NpyArray> Copy(InferenceSession session, IDisposableReadOnlyCollection<OrtValue> results)
    {
        var outputs = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            var info = results[i].GetTensorTypeAndShape();
            if (!OnnxElementTypes.TryGetDType((int)info.ElementDataType, out var dtype))
            {
                throw new NotSupportedException($"Output '{session.OutputNames[i]}' holds {info.ElementDataType}.");
            }

            outputs.Add(session.OutputNames[i], new NpyArray(dtype, Array.ConvertAll(info.Shape, d => checked((int)d)), results[i].GetTensorMutableRawData().ToArray()));
        }

        return outputs;
    }
}
