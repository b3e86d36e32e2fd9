using System.Diagnostics;

namespace FleetMarket.Tests.Builders;

public sealed record WorkerRun(int ExitCode, string Output, string Error);

/// <summary>Runs the real FleetMarket.Worker program in its own process, with its own config folder.</summary>
public sealed class WorkerProcess : IDisposable
{
    /// <summary>
    /// The worker as its own build produced it (same configuration and framework as the caller's), with its own
    /// dependency manifest: a copy beside the tests or the benchmarks would resolve their dependencies instead.
    /// </summary>
    private static readonly string WorkerAssembly = WorkerBuild();

    public string Home { get; } = Directory.CreateTempSubdirectory("fleetmarket-worker-").FullName;

    /// <summary>Further environment for the worker's runs, e.g. its log level.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task<WorkerRun> RunAsync(params string[] args)
    {
        using var process = Start(args);
        return await WaitAsync(process);
    }

    /// <summary>Starts the worker and leaves it running, as an owner's service manager would.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FLEETMARKET_WORKER_HOME"] = Home },
        };
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(WorkerAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Asks the worker to stop the way systemd does (SIGTERM) and waits for it.</summary>
    public static async Task<WorkerRun> StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitAsync(process);
    }

    private static async Task<WorkerRun> WaitAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker did not finish: {await output}{await error}");
        }

        return new WorkerRun(process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);

    private static string WorkerBuild()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.Combine(Repository.Root, "FleetMarket.Worker", "bin", output.Parent!.Name, output.Name, "FleetMarket.Worker.dll");
    }
}
