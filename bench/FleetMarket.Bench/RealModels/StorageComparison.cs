using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Bench.RealModels;

/// <summary>
/// Issue 17's measurement with a buyer's stopwatch: the same jobs of real models through the real app and a real worker
/// process, once with blobs in the local folder (the web node relays every byte) and once in object storage (Azurite on
/// this machine; the worker moves bytes to and from it directly), in one run. Per store: submit → outputs downloaded,
/// and the bytes the web node relayed (aim with object storage: 0) and read back from the store, per unit; beside raw
/// ONNX Runtime on the same inputs (session creation + one run) as the floor.
/// </summary>
public static class StorageComparison
{
    private sealed record Store(string Name, Func<IReadOnlyDictionary<string, string?>> Settings);

    private static readonly Store[] Stores =
    [
        new("local folder", () => new Dictionary<string, string?>()),
        new("object storage (Azurite)", () => Azurite.Shared.Settings()),
    ];

    /// <summary>Paired and long-polling, as an owner's device is between jobs.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    /// <summary>Units of a few rows, so that each job has several and the per-unit bytes are an average, not one unit's.</summary>
    private const int RowsPerUnit = 8;

    private sealed record Result(RealModel Model, Store Store, int Rows, List<TimeSpan> Took, List<TimeSpan> Floors, int Units, long Relayed, long ReadBack)
    {
        /// <summary>Where each round's time went, from the server's timestamps.</summary>
        public List<string> Breakdowns { get; } = [];
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(3);
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var models = ModelCatalog.All.Where(m => only is null || m.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        await ModelPackages.EnsureInstalledAsync(models);
        Console.WriteLine($"ONNX Runtime {OrtEnv.Instance().GetVersionString()}, {Environment.ProcessorCount} cores, {rounds} round(s) a case after one warm-up job");

        var results = new List<Result>();
        foreach (var model in models)
        {
            var submitted = model.Submitted(ModelPackages.Root);
            var outputNames = RawOrt.OutputNames(submitted);
            var inputs = model.Inputs(model.Rows);
            var npz = Npz.ToBytes(inputs);
            foreach (var store in Stores)
            {
                await using var market = await BenchMarket.StartAsync(store.Settings());
                var worker = await market.PairWorkerAsync();
                worker.Start();
                await Task.Delay(Idle);

                // The model's first job loads it on the worker and measures its cost per row: not what is compared here.
                await market.RunJobAsync(submitted, npz, outputNames, RowsPerUnit, $"{model.Name}, warm-up");
                var result = new Result(model, store, model.Rows, [], [], 0, 0, 0);
                using var meter = new RelayedBytesMeter();
                var units = 0;
                for (var round = 1; round <= rounds; round++)
                {
                    var (took, id, _, startedAt) = await market.RunJobAsync(submitted, npz, outputNames, RowsPerUnit, $"{model.Name}, {store.Name}, round {round}");
                    result.Took.Add(took);
                    result.Breakdowns.Add(await market.BreakdownAsync(id, startedAt, took));
                    result.Floors.Add(RawOrt.SessionAndRun(submitted, inputs).Took);
                    units += (await market.UnitsAsync(id)).Count;
                }

                // The copy shares the rounds' breakdowns: a record's `with` copies the list's reference.
                results.Add(result with { Units = units, Relayed = meter.Relayed, ReadBack = meter.ReadBack });
                Console.WriteLine($"  {model.Name}, {store.Name}: {units} units, {meter.Relayed:N0} bytes relayed, {meter.ReadBack:N0} read back");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| model | rows (a unit) | store | submit → outputs, median (each round) | raw ORT floor | bytes relayed a unit (aim with object storage: 0) | bytes read back a unit |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Model.Name} | {r.Rows} ({RowsPerUnit}) | {r.Store.Name} | {ModelLatency.Median(r.Took).TotalSeconds:F2} s ({string.Join(", ", r.Took.Select(t => t.TotalSeconds.ToString("F2")))}) "
                              + $"| {ModelLatency.Median(r.Floors).TotalMilliseconds:N0} ms | {r.Relayed / Math.Max(1, r.Units):N0} | {r.ReadBack / Math.Max(1, r.Units):N0} |");
        }

        Console.WriteLine();
        Console.WriteLine("Where each round's time went (server timestamps):");
        foreach (var r in results)
        {
            Console.WriteLine($"- {r.Model.Name}, {r.Store.Name}: {string.Join("; ", r.Breakdowns)}");
        }

        return 0;
    }
}
