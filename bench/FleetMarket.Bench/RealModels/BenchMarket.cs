using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Bench.RealModels;

/// <summary>One unit as the server recorded it: when it was leased and accepted, and what the worker reported for its run.</summary>
internal sealed record UnitTiming(int Index, int RowStart, int RowCount, DateTimeOffset LeasedAt, DateTimeOffset CompletedAt, long ComputeMilliseconds)
{
    public TimeSpan LeaseToCompletion => CompletedAt - LeasedAt;
}

/// <summary>
/// The real app (the integration tests' <see cref="FleetApp"/>), a buyer calling its HTTP API with an API key, and
/// real worker processes paired to it, as <see cref="JobLatency"/> sets them up.
/// </summary>
internal sealed class BenchMarket : IAsyncDisposable
{
    private readonly FleetApp _app;
    private readonly MarketplaceBuilder _market;
    private readonly HttpClient _api;
    private readonly List<BenchWorker> _workers = [];

    private BenchMarket(FleetApp app, MarketplaceBuilder market, HttpClient api)
    {
        _app = app;
        _market = market;
        _api = api;
    }

    /// <param name="settings">Configuration on top of the app's (blobs in Azurite, say).</param>
    public static async Task<BenchMarket> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // The app's own log would bury the benchmark's lines; warnings and errors still show.
        var app = new FleetApp(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Logging:LogLevel:Default"] = "Warning" });
        var market = new MarketplaceBuilder(app);
        var buyer = await market.BuyerWithBalanceAsync(1_000_000_00);
        var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "bench"));
        var api = app.NewClient();
        api.Timeout = TimeSpan.FromMinutes(5);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        return new BenchMarket(app, market, api);
    }

    /// <summary>Pairs a new device with its own worker home; it does not run until started.</summary>
    public async Task<BenchWorker> PairWorkerAsync()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        var worker = new BenchWorker(new WorkerProcess());
        var paired = await worker.Home.RunAsync("pair", "--server", _app.BaseAddress.ToString(), "--code", code.Code);
        if (paired.ExitCode != 0)
        {
            throw new InvalidOperationException(paired.Error + paired.Output);
        }

        _workers.Add(worker);
        return worker;
    }

    public async Task<Guid> SubmitAsync(byte[] model, byte[] inputsNpz, int? rowsPerUnit, string name) =>
        (await SubmitAsync(model, inputsNpz, rowsPerUnit, name, throwIfRefused: true)).Id!.Value;

    /// <summary>Submits a job; a refusal is returned as the app's answer unless <paramref name="throwIfRefused"/>.</summary>
    public async Task<(Guid? Id, string Refusal)> SubmitAsync(byte[] model, byte[] inputsNpz, int? rowsPerUnit, string name, bool throwIfRefused)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(model), "model", "model.onnx" },
            { new ByteArrayContent(inputsNpz), "inputs", "inputs.npz" },
            { new StringContent(name), "name" },
            { new StringContent("none"), "verification" },
        };
        if (rowsPerUnit is { } rows)
        {
            form.Add(new StringContent(rows.ToString()), "rowsPerUnit");
        }

        using var submitted = await _api.PostAsync("/api/jobs", form);
        if (!submitted.IsSuccessStatusCode)
        {
            var refusal = $"POST /api/jobs answered {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}";
            return throwIfRefused ? throw new InvalidOperationException(refusal) : (null, refusal);
        }

        return ((await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), "");
    }

    /// <summary>The job as <c>GET /api/jobs/{id}</c> shows it to its buyer.</summary>
    public Task<JsonElement> JobAsync(Guid id) => _api.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    /// <summary>Polls every 50 ms, as a buyer's script would, until the job completes; fails on any other end.</summary>
    public async Task WaitCompletedAsync(Guid id, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var job = await JobAsync(id);
            var status = StatusOf(job);
            if (status is nameof(JobStatus.Completed))
            {
                return;
            }

            if (status is nameof(JobStatus.Failed) or nameof(JobStatus.Cancelled))
            {
                throw new InvalidOperationException($"job {id} ended {status}: {job.GetProperty("failureReason")}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"job {id} is still {status} after {timeout.TotalSeconds:F0} s: {job}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The job's outputs by name, whether the app returned one .npy or an .npz.</summary>
    public async Task<IReadOnlyDictionary<string, NpyArray>> DownloadAsync(Guid id, IReadOnlyList<string> outputNames)
    {
        using var response = await _api.GetAsync($"/api/jobs/{id}/outputs");
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var fileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? "";
        return fileName.Trim('"').EndsWith(".npz", StringComparison.OrdinalIgnoreCase)
            ? Npz.Read(bytes, new NpyLimits(long.MaxValue))
            : new Dictionary<string, NpyArray> { [outputNames.Single()] = Npy.Read(bytes) };
    }

    public async Task CancelAsync(Guid id)
    {
        using var response = await _api.PostAsync($"/api/jobs/{id}/cancel", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Submit → completed → outputs downloaded, on the buyer's clock.</summary>
    public async Task<(TimeSpan Took, Guid Id, IReadOnlyDictionary<string, NpyArray> Outputs, DateTimeOffset StartedAt)> RunJobAsync(
        byte[] model, byte[] inputsNpz, IReadOnlyList<string> outputNames, int? rowsPerUnit, string name)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var id = await SubmitAsync(model, inputsNpz, rowsPerUnit, name);
        await WaitCompletedAsync(id, TimeSpan.FromMinutes(10));
        var outputs = await DownloadAsync(id, outputNames);
        clock.Stop();
        return (clock.Elapsed, id, outputs, startedAt);
    }

    /// <summary>
    /// Where a finished job's time went, from the server's own timestamps (same machine, same clock): the upload and
    /// submission until the job was saved, until its first unit was leased, the units until the last was accepted,
    /// the assembly of the outputs until the job completed, and the rest (the buyer's 50 ms polls and the download).
    /// </summary>
    public async Task<string> BreakdownAsync(Guid id, DateTimeOffset startedAt, TimeSpan took)
    {
        var job = await JobAsync(id);
        var units = await UnitsAsync(id);
        var created = job.GetProperty("createdAt").GetDateTimeOffset();
        var completed = job.GetProperty("completedAt").GetDateTimeOffset();
        var firstLease = units.Min(u => u.LeasedAt);
        var lastAccepted = units.Max(u => u.CompletedAt);
        return $"submit {Seconds(created - startedAt)}, to first lease {Seconds(firstLease - created)}, units {Seconds(lastAccepted - firstLease)}, "
               + $"assembly {Seconds(completed - lastAccepted)}, poll + download {Seconds(startedAt + took - completed)}";

        static string Seconds(TimeSpan span) => $"{span.TotalSeconds:F2}";
    }

    public async Task<List<UnitTiming>> UnitsAsync(Guid jobId)
    {
        var units = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking()
            .Where(u => u.JobId == jobId && u.Status == WorkUnitStatus.Done)
            .Select(u => new UnitTiming(u.Index, u.RowStart, u.RowCount, u.LeasedAt!.Value, u.CompletedAt!.Value, u.ComputeMilliseconds))
            .ToListAsync());
        return units.OrderBy(u => u.Index).ToList();
    }

    /// <summary>The units of the job now leased, and since when.</summary>
    public Task<List<DateTimeOffset>> LeasedSinceAsync(Guid jobId) =>
        _app.QueryAsync(db => db.WorkUnits.AsNoTracking()
            .Where(u => u.JobId == jobId && u.Status == WorkUnitStatus.Leased && u.LeasedAt != null)
            .Select(u => u.LeasedAt!.Value)
            .ToListAsync());

    /// <summary>Why the job's units failed or were given back, as the server recorded it.</summary>
    public Task<List<string>> UnitFailuresAsync(Guid jobId) =>
        _app.QueryAsync(db => db.WorkUnits.AsNoTracking()
            .Where(u => u.JobId == jobId && u.FailureReason != null)
            .Select(u => u.FailureReason!)
            .Distinct()
            .ToListAsync());

    /// <summary>A job's status by name, whether the API wrote the enum as a name or a number.</summary>
    public static string StatusOf(JsonElement job)
    {
        var status = job.GetProperty("status");
        return status.ValueKind == JsonValueKind.Number ? ((JobStatus)status.GetInt32()).ToString() : status.GetString()!;
    }

    public Task<int> DoneCountAsync(Guid jobId) =>
        _app.QueryAsync(db => db.WorkUnits.CountAsync(u => u.JobId == jobId && u.Status == WorkUnitStatus.Done));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        _api.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A paired worker (<c>FleetMarket.Worker run</c> in its own process). Its output is read as it comes, so a chatty
/// worker never blocks on a full pipe.
/// </summary>
internal sealed class BenchWorker(WorkerProcess home) : IAsyncDisposable
{
    private Process? _running;
    private Task _drained = Task.CompletedTask;

    public WorkerProcess Home { get; } = home;

    public List<string> Log { get; } = [];

    /// <summary>The first log entry whose message holds <paramref name="text"/>, with the level and category line the console logger writes above it.</summary>
    public string? FirstLogEntry(string text)
    {
        lock (Log)
        {
            var at = Log.FindIndex(line => line.Contains(text, StringComparison.Ordinal));
            return at < 0 ? null : string.Join(" ", Log.Skip(Math.Max(0, at - 1)).Take(2).Select(line => line.Trim()));
        }
    }

    public void Start()
    {
        _running = Home.Start("run");
        var process = _running;
        _drained = Task.WhenAll(Drain(process.StandardOutput), Drain(process.StandardError));
    }

    /// <summary>Asks the worker to stop the way systemd does (SIGTERM) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_running is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await _drained;
    }

    /// <summary>Kills the worker outright (SIGKILL), as a crash or a pulled plug would.</summary>
    public async Task KillAsync()
    {
        if (_running is not { HasExited: false } process)
        {
            return;
        }

        process.Kill();
        await process.WaitForExitAsync();
        await _drained;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            _running?.Kill(entireProcessTree: true);
        }

        _running?.Dispose();
        Home.Dispose();
    }

    private async Task Drain(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (Log)
            {
                Log.Add(line);
            }
        }
    }
}
