using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FleetMarket.Protocol;

namespace FleetMarket.LoadTest;

/// <summary>The figures of one timed run: per-operation client latencies, server latencies by route, the process's usage.</summary>
internal sealed record RunResult(
    string Name,
    TimeSpan Window,
    IReadOnlyList<OperationStats> Operations,
    long Cycles,
    RuntimeUsage Usage,
    IReadOnlyDictionary<string, ServerLatency> ServerRoutes)
{
    /// <summary>EF Core's commands in the measured window, when the run was made with --breakdown.</summary>
    public IReadOnlyList<(string What, long Count, double TotalMilliseconds, double MeanMilliseconds, double MaxMilliseconds, long Over100Ms)>? Database { get; init; }
}

/// <summary>
/// Runs simulated devices in closed loops (each sends its next request as soon as the last is answered) for a
/// warm-up and then a measured window, through one <see cref="LoadClient"/>.
/// </summary>
internal static class Scenarios
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>An idle, charging, cool car: every policy that allows work at all allows it now.</summary>
    private static readonly DeviceConditions Conditions = new(IsIdle: true, IsCharging: true, BatteryPercent: 90, TemperatureCelsius: 30);

    private static readonly byte[] HeartbeatBody = JsonSerializer.SerializeToUtf8Bytes(new HeartbeatRequest(Conditions, "CPU"), Json);

    /// <summary>A lease request carries the conditions too, so any node can apply the owner's policy.</summary>
    private static readonly byte[] LeaseBody = JsonSerializer.SerializeToUtf8Bytes(new { conditions = Conditions }, Json);

    private static readonly byte[] ComputeMilliseconds = "12"u8.ToArray();
    private static readonly byte[] InferenceCount = "1"u8.ToArray();

    /// <summary>heartbeat → lease → complete, per device, uploading the unit's precomputed outputs.</summary>
    public static Task<RunResult> DispatchAsync(Fleet fleet, LoadTestOptions options, ServerRequestMetrics server, DatabaseBreakdown? database,
        TextWriter log)
    {
        var heartbeat = new OperationStats("heartbeat");
        var lease = new OperationStats("lease");
        var complete = new OperationStats("complete");
        long cycles = 0;

        async Task DeviceAsync(LoadClient client, int index, CancellationToken stopping)
        {
            var device = fleet.Devices[index];
            while (!stopping.IsCancellationRequested)
            {
                var beat = await client.SendAsync(heartbeat, Post(WorkerRoutes.Heartbeat, device.Authorization, HeartbeatBody), stopping);
                if (!beat.IsSuccess || !JsonSerializer.Deserialize<HeartbeatReply>(beat.Body, Json)!.ShouldWork)
                {
                    if (beat.IsSuccess && beat.Counted)
                    {
                        heartbeat.CountOutcome("200, should not work");
                    }

                    await Pause(stopping);
                    continue;
                }

                var leased = await client.SendAsync(lease, Post(WorkerRoutes.Lease, device.Authorization, LeaseBody), stopping);
                if (leased.Status == HttpStatusCode.NoContent || !leased.IsSuccess)
                {
                    if (leased.Status == HttpStatusCode.NoContent && leased.Counted)
                    {
                        lease.CountOutcome("204, no unit");
                    }

                    await Pause(stopping);
                    continue;
                }

                var unit = JsonSerializer.Deserialize<LeaseReply>(leased.Body, Json)!;
                var completion = new MultipartFormDataContent
                {
                    { new ByteArrayContent(fleet.OutputsFor(unit.InputSha256)), WorkerRoutes.OutputsField, "outputs.npz" },
                    { new ByteArrayContent(ComputeMilliseconds), WorkerRoutes.ComputeMillisecondsField },
                    { new ByteArrayContent(InferenceCount), WorkerRoutes.InferenceCountField },
                };
                var request = new HttpRequestMessage(HttpMethod.Post, WorkerRoutes.Complete(unit.LeaseId)) { Content = completion };
                request.Headers.Authorization = device.Authorization;
                var completed = await client.SendAsync(complete, request, stopping);
                if (completed.IsSuccess && completed.Counted)
                {
                    var answer = JsonSerializer.Deserialize<CompletionReply>(completed.Body, Json)!;
                    if (answer.Accepted)
                    {
                        Interlocked.Increment(ref cycles);
                    }
                    else
                    {
                        complete.CountOutcome($"200, not accepted: {answer.Reason}");
                    }
                }
            }
        }

        return RunAsync("dispatch", fleet.App.BaseAddress, fleet.Devices.Count, options, server, database, log, DeviceAsync,
            [heartbeat, lease, complete], () => Interlocked.Read(ref cycles));
    }

    /// <summary>
    /// heartbeat → lease <see cref="LoadTestOptions.Batch"/> units → complete them all in one request, per device.
    /// Its cycles are units accepted, so its rate reads as units per second.
    /// </summary>
    public static Task<RunResult> BatchedDispatchAsync(Fleet fleet, LoadTestOptions options, ServerRequestMetrics server, DatabaseBreakdown? database,
        TextWriter log)
    {
        var heartbeat = new OperationStats("heartbeat");
        var lease = new OperationStats("lease batch");
        var complete = new OperationStats("complete batch");
        var leaseBody = JsonSerializer.SerializeToUtf8Bytes(new LeaseRequest(Conditions, MaxUnits: options.Batch), Json);
        long units = 0;

        async Task DeviceAsync(LoadClient client, int index, CancellationToken stopping)
        {
            var device = fleet.Devices[index];
            while (!stopping.IsCancellationRequested)
            {
                var beat = await client.SendAsync(heartbeat, Post(WorkerRoutes.Heartbeat, device.Authorization, HeartbeatBody), stopping);
                if (!beat.IsSuccess || !JsonSerializer.Deserialize<HeartbeatReply>(beat.Body, Json)!.ShouldWork)
                {
                    await Pause(stopping);
                    continue;
                }

                var leased = await client.SendAsync(lease, Post(WorkerRoutes.Leases, device.Authorization, leaseBody), stopping);
                var batch = leased.IsSuccess ? JsonSerializer.Deserialize<LeaseBatch>(leased.Body, Json)!.Leases : [];
                if (batch.Count == 0)
                {
                    if (leased.IsSuccess && leased.Counted)
                    {
                        lease.CountOutcome("200, no unit");
                    }

                    await Pause(stopping);
                    continue;
                }

                var entries = batch.Select(unit => new UnitCompletion(unit.LeaseId, 12, 1)).ToList();
                var completion = new MultipartFormDataContent
                {
                    { new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(entries, Json)), WorkerRoutes.CompletionsField },
                };
                foreach (var unit in batch)
                {
                    completion.Add(new ByteArrayContent(fleet.OutputsFor(unit.InputSha256)), unit.LeaseId.ToString(), "outputs.npz");
                }

                var request = new HttpRequestMessage(HttpMethod.Post, WorkerRoutes.CompleteMany) { Content = completion };
                request.Headers.Authorization = device.Authorization;
                var completed = await client.SendAsync(complete, request, stopping);
                if (completed.IsSuccess && completed.Counted)
                {
                    foreach (var answer in JsonSerializer.Deserialize<BatchCompletionResponse>(completed.Body, Json)!.Results)
                    {
                        if (answer.Accepted)
                        {
                            Interlocked.Increment(ref units);
                        }
                        else
                        {
                            complete.CountOutcome($"200, not accepted: {answer.Reason}");
                        }
                    }
                }
            }
        }

        return RunAsync($"batched dispatch ({options.Batch} a request)", fleet.App.BaseAddress, fleet.Devices.Count, options, server, database,
            log, DeviceAsync, [heartbeat, lease, complete], () => Interlocked.Read(ref units));
    }

    /// <summary>The same devices and client machinery against the floor endpoint: one request, one SQLite write.</summary>
    public static Task<RunResult> FloorAsync(string name, FloorServer floor, int devices, LoadTestOptions options, ServerRequestMetrics server,
        TextWriter log)
    {
        var write = new OperationStats("floor");
        var authorizations = Enumerable.Range(0, devices)
            .Select(i => new AuthenticationHeaderValue("Bearer", $"floor-device-{i:D6}-{Guid.NewGuid():N}"))
            .ToArray();

        async Task DeviceAsync(LoadClient client, int index, CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                var reply = await client.SendAsync(write, Post(FloorServer.Route, authorizations[index], HeartbeatBody), stopping);
                if (!reply.IsSuccess)
                {
                    await Pause(stopping);
                }
            }
        }

        return RunAsync(name, floor.BaseAddress, devices, options, server, database: null, log, DeviceAsync, [write],
            () => write.Succeeded);
    }

    private static async Task<RunResult> RunAsync(string name, Uri baseAddress, int devices, LoadTestOptions options,
        ServerRequestMetrics server, DatabaseBreakdown? database, TextWriter log,
        Func<LoadClient, int, CancellationToken, Task> device, IReadOnlyList<OperationStats> operations, Func<long> cycles)
    {
        using var client = new LoadClient(baseAddress, options.Concurrency);
        using var stopping = new CancellationTokenSource();
        var loops = Enumerable.Range(0, devices).Select(i => Task.Run(() => Loop(client, i, stopping.Token))).ToArray();

        log.WriteLine($"{name}: {devices} devices, {options.Concurrency} in flight, warming up {options.WarmupSeconds} s");
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        server.Clear();
        server.Recording = true;
        database?.Clear();
        database?.Recording = true;
        var before = RuntimeSnapshot.Take();
        client.OpenWindow();
        log.WriteLine($"{name}: measuring {options.Seconds} s");
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        client.CloseWindow();
        var after = RuntimeSnapshot.Take();
        server.Recording = false;
        database?.Recording = false;

        await stopping.CancelAsync();
        await Task.WhenAll(loops);
        var routes = new[]
            {
                WorkerRoutes.Prefix + "/heartbeat", WorkerRoutes.Prefix + "/lease", WorkerRoutes.Prefix + "/leases/{leaseId:guid}/complete",
                WorkerRoutes.Prefix + "/leases", WorkerRoutes.Prefix + "/leases/complete", FloorServer.Route,
            }
            .ToDictionary(route => route, server.Of);
        return new RunResult(name, client.Window, operations, cycles(), new RuntimeUsage(before, after), routes) { Database = database?.Rows };

        async Task Loop(LoadClient loadClient, int index, CancellationToken cancellationToken)
        {
            try
            {
                await device(loadClient, index, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The run is over.
            }
        }
    }

    private static HttpRequestMessage Post(string path, AuthenticationHeaderValue authorization, byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = authorization;
        return request;
    }

    /// <summary>A device told to wait (no unit, not allowed, an error) waits a little rather than spinning.</summary>
    private static Task Pause(CancellationToken stopping) => Task.Delay(TimeSpan.FromMilliseconds(100), stopping);

    private sealed record HeartbeatReply(bool ShouldWork);

    private sealed record LeaseReply(Guid LeaseId, string InputSha256);

    private sealed record CompletionReply(bool Accepted, string? Reason);
}
