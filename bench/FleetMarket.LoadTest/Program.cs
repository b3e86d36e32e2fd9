using BenchmarkDotNet.Running;

namespace FleetMarket.LoadTest;

/// <summary>
/// dotnet run -c Release --project bench/FleetMarket.LoadTest -- --devices 1000 --seconds 30 --concurrency 64
/// dotnet run -c Release --project bench/FleetMarket.LoadTest -- worker
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["worker", .. var benchmarkArgs])
        {
            BenchmarkSwitcher.FromTypes([typeof(WorkerOverheadBenchmarks)]).Run(benchmarkArgs is [] ? ["--filter", "*"] : benchmarkArgs);
            return 0;
        }

        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(LoadTestOptions.Usage);
            return 0;
        }

        LoadTestOptions options;
        try
        {
            options = LoadTestOptions.Parse(args);
        }
        catch (ArgumentException problem)
        {
            Console.Error.WriteLine(problem.Message);
            return 2;
        }

        var log = Console.Error;
        RuntimeSnapshot.CountExceptions();
        using var requests = new ServerRequestMetrics();
        using var traffic = new NodeTraffic();
        using var database = options.Breakdown ? new DatabaseBreakdown() : null;
        var server = new ServerInstruments(requests, database, traffic);
        var runs = new List<RunResult>();
        var queues = new List<QueueAtEnd>();
        var plans = new Dictionary<string, IReadOnlyList<string>>();

        if (options.Floor)
        {
            runs.Add(await FloorAsync("floor: bare endpoint, one SQLite INSERT (WAL)", FloorMode.Plain));
            runs.Add(await FloorAsync("floor, writes through an async one-writer gate", FloorMode.Gated));
            if (options.FloorSharedCache)
            {
                runs.Add(await FloorAsync("floor, app's connection string (Cache=Shared)", FloorMode.SharedCache));
            }
        }

        // One store after the other, each on an app of its own, so that neither run shares the process with the
        // other's app, and both have the same devices, units and settings.
        foreach (var store in options.Dispatch ? options.Stores : [])
        {
            await using var fleet = await Fleet.CreateAsync(options, store, log);
            runs.Add(await Scenarios.DispatchAsync(fleet, options, server, log));
            if (options.Batch > 0)
            {
                runs.Add(await Scenarios.BatchedDispatchAsync(fleet, options, server, log));
            }

            var queued = await fleet.QueuedUnitsAsync();
            queues.Add(new QueueAtEnd(store, fleet.Units, queued));
            if (queued == 0)
            {
                log.WriteLine($"warning: the queue ran dry in the {store.Label()} store ({fleet.Units} units); pass a larger --units for a true figure");
            }

            if (database is not null)
            {
                foreach (var (what, sql) in database.Statements)
                {
                    plans[what] = await fleet.ExplainAsync(sql);
                }
            }
        }

        var command = "dotnet run -c Release --project bench/FleetMarket.LoadTest -- " + string.Join(' ', args);
        var markdown = Report.Markdown(options, runs, database, plans, queues, command.TrimEnd());
        (options.Json ? Console.Error : Console.Out).WriteLine(markdown);
        if (options.Json)
        {
            Console.WriteLine(Headline.Json(runs));
        }

        if (options.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }

        return 0;

        async Task<RunResult> FloorAsync(string name, FloorMode mode)
        {
            await using var floor = await FloorServer.StartAsync(mode);
            return await Scenarios.FloorAsync(name, floor, options.Devices, options, requests, traffic, log);
        }
    }
}
