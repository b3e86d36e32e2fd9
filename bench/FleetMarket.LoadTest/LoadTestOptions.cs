using System.Globalization;

namespace FleetMarket.LoadTest;

/// <summary>Where the app keeps its blobs in a dispatch run, and so how devices move a unit's bytes.</summary>
internal enum Store
{
    /// <summary>The app's data folder: devices fetch inputs from the web node and upload outputs in the completion.</summary>
    Local,

    /// <summary>Azure Blob Storage (Azurite): devices GET inputs and PUT outputs by the lease's URLs, around the web node.</summary>
    Azurite,
}

internal static class StoreNames
{
    /// <summary>The store as the report names it.</summary>
    public static string Label(this Store store) => store == Store.Local ? "local folder" : "Azurite";
}

/// <summary>The load test's knobs, from the command line.</summary>
internal sealed record LoadTestOptions
{
    public int Devices { get; init; } = 1000;

    /// <summary>Length of the measured window, after the warm-up.</summary>
    public int Seconds { get; init; } = 30;

    public int WarmupSeconds { get; init; } = 5;

    /// <summary>Requests in flight at once, over all simulated devices (and the size of the connection pool).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Work units to queue in each store's app; 0 sizes the job so that 2,500 cycles per second cannot run it dry.</summary>
    public int Units { get; init; }

    public int DevicesPerOwner { get; init; } = 25;

    public bool Floor { get; init; } = true;

    /// <summary>Also measure the floor with the app's own SQLite connection string (shared cache).</summary>
    public bool FloorSharedCache { get; init; }

    public bool Dispatch { get; init; } = true;

    /// <summary>Time every EF Core command and transaction (costs a little; off for the figures of record).</summary>
    public bool Breakdown { get; init; }

    /// <summary>Where to write the markdown report too (it goes to standard output unless <see cref="Json"/>).</summary>
    public string? ReportPath { get; init; }

    /// <summary>Units per batched lease and completion in a further run after the single-unit one; 0 for none.</summary>
    public int Batch { get; init; }

    /// <summary>The blob stores to run dispatch against, one after the other, each on a fresh app with the same settings.</summary>
    public IReadOnlyList<Store> Stores { get; init; } = [Store.Local];

    /// <summary>One JSON line of the headline figures on standard output, for scripts; the report goes to standard error.</summary>
    public bool Json { get; init; }

    /// <summary>Enough that neither run empties the queue: 2,500 single cycles and 15,000 batched units a second.</summary>
    public int EffectiveUnits => Units > 0 ? Units : Devices + ((2500 + (Batch > 0 ? 15_000 : 0)) * (Seconds + WarmupSeconds));

    public const string Usage = """
        FleetMarket.LoadTest: the dispatch path at fleet scale, against the real app on loopback.

          dotnet run -c Release --project bench/FleetMarket.LoadTest -- [options]
          dotnet run -c Release --project bench/FleetMarket.LoadTest -- worker [BenchmarkDotNet options]

        Options (dispatch):
          --devices N             simulated devices, each paired through the real protocol (1000)
          --seconds N             measured window (30)
          --warmup N              warm-up before the window, not counted (5)
          --concurrency N         requests in flight at once over all devices; also the connection pool (64)
          --units N               work units to queue, per store (devices + 2,500 per second of run)
          --devices-per-owner N   devices per owner account (25)
          --no-floor              skip the floor (bare endpoint, one SQLite INSERT per request)
          --floor-shared-cache    also run the floor on the app's connection string (Cache=Shared)
          --floor-only            run the floor alone, without the marketplace
          --breakdown             time every EF Core command (where the server's database time goes)
          --report PATH           also write the markdown report to PATH
          --batch N               also run devices that lease and complete N units per request
          --storage KIND          where the app keeps blobs: local (its data folder), azurite (Azure Blob Storage
                                  in Azurite, from tools/azurite), or both, one after the other (local)
          --json                  print one JSON line of the headline figures (the report goes to standard error)

        worker: time per unit through the worker's code against a raw ONNX Runtime loop (BenchmarkDotNet).
        """;

    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--devices" => options with { Devices = Positive(args, ref i) },
                "--seconds" => options with { Seconds = Positive(args, ref i) },
                "--warmup" => options with { WarmupSeconds = NonNegative(args, ref i) },
                "--concurrency" => options with { Concurrency = Positive(args, ref i) },
                "--units" => options with { Units = Positive(args, ref i) },
                "--devices-per-owner" => options with { DevicesPerOwner = Positive(args, ref i) },
                "--no-floor" => options with { Floor = false },
                "--floor-shared-cache" => options with { FloorSharedCache = true },
                "--floor-only" => options with { Dispatch = false },
                "--breakdown" => options with { Breakdown = true },
                "--report" => options with { ReportPath = Value(args, ref i) },
                "--batch" => options with { Batch = Positive(args, ref i) },
                "--storage" => options with { Stores = StoresNamed(Value(args, ref i)) },
                "--json" => options with { Json = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n\n{Usage}"),
            };
        }

        return options;
    }

    private static Store[] StoresNamed(string name) => name switch
    {
        "local" => [Store.Local],
        "azurite" => [Store.Azurite],
        "both" => [Store.Local, Store.Azurite],
        _ => throw new ArgumentException($"--storage takes local, azurite or both, not '{name}'."),
    };

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Positive(string[] args, ref int i)
    {
        var value = NonNegative(args, ref i);
        return value > 0 ? value : throw new ArgumentException($"{args[i - 1]} must be positive.");
    }

    private static int NonNegative(string[] args, ref int i)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{args[i - 1]} takes a whole number, not '{text}'.");
    }
}
