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
        using var server = new ServerRequestMetrics();
        using var database = options.Breakdown ? new DatabaseBreakdown() : null;
        var runs = new List<RunResult>();

        Fleet? fleet = null;
        int? queued = null;
        var plans = new Dictionary<string, IReadOnlyList<string>>();
        try
        {
            if (options.Dispatch)
            {
                fleet = await Fleet.CreateAsync(options, log);
            }

            if (options.Floor)
            {
                runs.Add(await FloorAsync("floor: bare endpoint, one SQLite INSERT (WAL)", FloorMode.Plain));
                runs.Add(await FloorAsync("floor, writes through an async one-writer gate", FloorMode.Gated));
                if (options.FloorSharedCache)
                {
                    runs.Add(await FloorAsync("floor, app's connection string (Cache=Shared)", FloorMode.SharedCache));
                }
            }

            if (fleet is not null)
            {
                var dispatch = await Scenarios.DispatchAsync(fleet, options, server, database, log);
                runs.Add(dispatch);
                if (options.Batch > 0)
                {
                    runs.Add(await Scenarios.BatchedDispatchAsync(fleet, options, server, database, log));
                }

                queued = await fleet.QueuedUnitsAsync();
                if (queued == 0)
                {
                    log.WriteLine($"warning: the queue ran dry ({fleet.Units} units); pass a larger --units for a true figure");
                }

                if (database is not null)
                {
                    foreach (var (what, sql) in database.Statements)
                    {
                        plans[what] = await fleet.ExplainAsync(sql);
                    }
                }
            }
        }
        finally
        {
            if (fleet is not null)
            {
                await fleet.DisposeAsync();
            }
        }

        var command = "dotnet run -c Release --project bench/FleetMarket.LoadTest -- " + string.Join(' ', args);
        var markdown = Report.Markdown(options, runs, database, plans, fleet is null ? null : (fleet.Units, queued ?? 0), command.TrimEnd());
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
            return await Scenarios.FloorAsync(name, floor, options.Devices, options, server, log);
        }
    }
}
