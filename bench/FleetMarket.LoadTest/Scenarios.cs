using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;

namespace FleetMarket.LoadTest;

/// <summary>The figures of one timed run: per-operation client latencies, server latencies by route, the process's usage.</summary>
/// <param name="Store">Where the app kept its blobs; null for the floor.</param>
/// <param name="Relayed">Bytes of blobs through the web node in the window (<see cref="NodeTraffic"/>).</param>
/// <param name="ReadBack">Bytes of direct uploads the web node read back from storage in the window.</param>
/// <param name="UnitsTaken">Results the server took in the window, by its own count: what the bytes are per.</param>
/// <param name="StoreCpu">CPU of the storage emulator's own process in the window; null where there is none.</param>
internal sealed record RunResult(
    string Name,
    Store? Store,
    TimeSpan Window,
    IReadOnlyList<OperationStats> Operations,
    long Cycles,
    RuntimeUsage Usage,
    IReadOnlyDictionary<string, ServerLatency> ServerRoutes,
    long Relayed,
    long ReadBack,
    long UnitsTaken,
    TimeSpan? StoreCpu)
{
    /// <summary>EF Core's commands in the measured window, when the run was made with --breakdown.</summary>
    public IReadOnlyList<(string What, long Count, double TotalMilliseconds, double MeanMilliseconds, double MaxMilliseconds, long Over100Ms)>? Database { get; init; }
}

/// <summary>What the runs record on the server's side: request durations, database commands, bytes moved.</summary>
internal sealed record ServerInstruments(ServerRequestMetrics Requests, DatabaseBreakdown? Database, NodeTraffic Traffic);

/// <summary>
/// Runs simulated devices in closed loops (each sends its next request as soon as the last is answered) for a
/// warm-up and then a measured window, through one <see cref="LoadClient"/> to the web node and one to storage.
/// </summary>
internal static class Scenarios
{
    private const string HeartbeatRoute = WorkerRoutes.Prefix + "/heartbeat";
    private const string LeaseRoute = WorkerRoutes.Prefix + "/lease";
    private const string LeasesRoute = WorkerRoutes.Prefix + "/leases";
    private const string CompleteRoute = WorkerRoutes.Prefix + "/leases/{leaseId:guid}/complete";
    private const string CompleteManyRoute = WorkerRoutes.CompleteMany;
    private const string BlobRoute = WorkerRoutes.Prefix + "/blobs/{sha256}";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>An idle, charging, cool car: every policy that allows work at all allows it now.</summary>
    private static readonly DeviceConditions Conditions = new(IsIdle: true, IsCharging: true, BatteryPercent: 90, TemperatureCelsius: 30);

    private static readonly byte[] HeartbeatBody = JsonSerializer.SerializeToUtf8Bytes(new HeartbeatRequest(Conditions, "CPU"), Json);

    /// <summary>A lease request carries the conditions too, so any node can apply the owner's policy.</summary>
    private static readonly byte[] LeaseBody = JsonSerializer.SerializeToUtf8Bytes(new { conditions = Conditions }, Json);

    private static readonly byte[] ComputeMilliseconds = "12"u8.ToArray();
    private static readonly byte[] InferenceCount = "1"u8.ToArray();

    /// <summary>
    /// heartbeat → lease → the unit's bytes (<see cref="MoveBytesAsync"/>) → complete, per device. On the local folder
    /// the completion is the single one, with the outputs as its file; on object storage it is the batched one with
    /// one entry declaring the upload, the only completion that takes a direct upload.
    /// </summary>
    public static Task<RunResult> DispatchAsync(Fleet fleet, LoadTestOptions options, ServerInstruments server, TextWriter log)
    {
        var heartbeat = new OperationStats("heartbeat", HeartbeatRoute);
        var lease = new OperationStats("lease", LeaseRoute);
        var transfers = Transfers.For(fleet.Store);
        var complete = fleet.Store == Store.Local
            ? new OperationStats("complete", CompleteRoute)
            : new OperationStats("complete, upload declared", CompleteManyRoute);
        long cycles = 0;

        async Task DeviceAsync(LoadClient node, LoadClient storage, int index, CancellationToken stopping)
        {
            var device = fleet.Devices[index];
            while (!stopping.IsCancellationRequested)
            {
                var beat = await node.SendAsync(heartbeat, Post(WorkerRoutes.Heartbeat, device.Authorization, HeartbeatBody), stopping);
                if (!beat.IsSuccess || !JsonSerializer.Deserialize<HeartbeatReply>(beat.Body, Json)!.ShouldWork)
                {
                    if (beat.IsSuccess && beat.Counted)
                    {
                        heartbeat.CountOutcome("200, should not work");
                    }

                    await Pause(stopping);
                    continue;
                }

                var leased = await node.SendAsync(lease, Post(WorkerRoutes.Lease, device.Authorization, LeaseBody), stopping);
                if (leased.Status == HttpStatusCode.NoContent || !leased.IsSuccess)
                {
                    if (leased.Status == HttpStatusCode.NoContent && leased.Counted)
                    {
                        lease.CountOutcome("204, no unit");
                    }

                    await Pause(stopping);
                    continue;
                }

                var unit = JsonSerializer.Deserialize<WorkUnitLease>(leased.Body, Json)!;
                if (!await MoveBytesAsync(fleet, node, storage, transfers, device, unit, stopping))
                {
                    await Pause(stopping);
                    continue;
                }

                var completed = await node.SendAsync(complete,
                    fleet.Store == Store.Local ? SingleCompletion(fleet, device, unit) : BatchCompletion(fleet, device, [unit]), stopping);
                if (completed.IsSuccess && completed.Counted)
                {
                    var answers = fleet.Store == Store.Local
                        ? [JsonSerializer.Deserialize<CompletionResponse>(completed.Body, Json)!]
                        : JsonSerializer.Deserialize<BatchCompletionResponse>(completed.Body, Json)!.Results
                            .Select(answer => new CompletionResponse(answer.Accepted, answer.Reason));
                    Interlocked.Add(ref cycles, CountAccepted(complete, answers));
                }
            }
        }

        return RunAsync($"dispatch, {fleet.Store.Label()}", fleet.Store, fleet.App.BaseAddress, fleet.Devices.Count, options, server, log,
            DeviceAsync, [heartbeat, lease, .. transfers.Operations, complete], () => Interlocked.Read(ref cycles));
    }

    /// <summary>
    /// heartbeat → lease <see cref="LoadTestOptions.Batch"/> units → each unit's bytes, one after the other → complete
    /// them all in one request, per device. Its cycles are units accepted, so its rate reads as units per second.
    /// </summary>
    public static Task<RunResult> BatchedDispatchAsync(Fleet fleet, LoadTestOptions options, ServerInstruments server, TextWriter log)
    {
        var heartbeat = new OperationStats("heartbeat", HeartbeatRoute);
        var lease = new OperationStats("lease batch", LeasesRoute);
        var transfers = Transfers.For(fleet.Store);
        var complete = new OperationStats("complete batch", CompleteManyRoute);
        var leaseBody = JsonSerializer.SerializeToUtf8Bytes(new LeaseRequest(Conditions, MaxUnits: options.Batch), Json);
        long units = 0;

        async Task DeviceAsync(LoadClient node, LoadClient storage, int index, CancellationToken stopping)
        {
            var device = fleet.Devices[index];
            while (!stopping.IsCancellationRequested)
            {
                var beat = await node.SendAsync(heartbeat, Post(WorkerRoutes.Heartbeat, device.Authorization, HeartbeatBody), stopping);
                if (!beat.IsSuccess || !JsonSerializer.Deserialize<HeartbeatReply>(beat.Body, Json)!.ShouldWork)
                {
                    await Pause(stopping);
                    continue;
                }

                var leased = await node.SendAsync(lease, Post(WorkerRoutes.Leases, device.Authorization, leaseBody), stopping);
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

                // A unit whose bytes failed to move is left to run out, as a worker would leave it; the rest complete.
                var moved = new List<WorkUnitLease>(batch.Count);
                foreach (var unit in batch)
                {
                    if (await MoveBytesAsync(fleet, node, storage, transfers, device, unit, stopping))
                    {
                        moved.Add(unit);
                    }
                }

                if (moved.Count == 0)
                {
                    await Pause(stopping);
                    continue;
                }

                var completed = await node.SendAsync(complete, BatchCompletion(fleet, device, moved), stopping);
                if (completed.IsSuccess && completed.Counted)
                {
                    var answers = JsonSerializer.Deserialize<BatchCompletionResponse>(completed.Body, Json)!.Results
                        .Select(answer => new CompletionResponse(answer.Accepted, answer.Reason));
                    Interlocked.Add(ref units, CountAccepted(complete, answers));
                }
            }
        }

        return RunAsync($"batched dispatch ({options.Batch} a request), {fleet.Store.Label()}", fleet.Store, fleet.App.BaseAddress,
            fleet.Devices.Count, options, server, log, DeviceAsync, [heartbeat, lease, .. transfers.Operations, complete],
            () => Interlocked.Read(ref units));
    }

    /// <summary>The same devices and client machinery against the floor endpoint: one request, one SQLite write.</summary>
    public static Task<RunResult> FloorAsync(string name, FloorServer floor, int devices, LoadTestOptions options, ServerRequestMetrics requests,
        NodeTraffic traffic, TextWriter log)
    {
        var write = new OperationStats("floor", FloorServer.Route);
        var authorizations = Enumerable.Range(0, devices)
            .Select(i => new AuthenticationHeaderValue("Bearer", $"floor-device-{i:D6}-{Guid.NewGuid():N}"))
            .ToArray();

        async Task DeviceAsync(LoadClient node, LoadClient storage, int index, CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                var reply = await node.SendAsync(write, Post(FloorServer.Route, authorizations[index], HeartbeatBody), stopping);
                if (!reply.IsSuccess)
                {
                    await Pause(stopping);
                }
            }
        }

        return RunAsync(name, store: null, floor.BaseAddress, devices, options, new ServerInstruments(requests, Database: null, traffic), log,
            DeviceAsync, [write], () => write.Succeeded);
    }

    /// <summary>
    /// What a worker does with a leased unit's bytes between its lease and its completion: GET the input, from the web
    /// node on the local folder or by the lease's URL on object storage, and on object storage PUT the outputs by the
    /// lease's URL. The model is not fetched: a worker keeps it from its first unit of the job (every unit here is of
    /// one job), so in steady state it fetches none. Nor is the input hashed or run: the outputs are precomputed.
    /// </summary>
    private static async Task<bool> MoveBytesAsync(Fleet fleet, LoadClient node, LoadClient storage, Transfers transfers,
        SimulatedDevice device, WorkUnitLease unit, CancellationToken stopping)
    {
        if (fleet.Store == Store.Local)
        {
            var get = new HttpRequestMessage(HttpMethod.Get, WorkerRoutes.Blob(unit.InputSha256));
            get.Headers.Authorization = device.Authorization;
            return (await node.SendAsync(transfers.Input, get, stopping)).IsSuccess;
        }

        var transfer = unit.Transfer ?? throw new InvalidOperationException("A lease on object storage came without transfer URLs.");
        if (!(await storage.SendAsync(transfers.Input, new HttpRequestMessage(HttpMethod.Get, transfer.InputUrl), stopping)).IsSuccess)
        {
            return false;
        }

        var put = new HttpRequestMessage(HttpMethod.Put, transfer.OutputsUrl) { Content = new ByteArrayContent(fleet.OutputsFor(unit.InputSha256).Npz) };
        put.Headers.Add(BlobTransfer.BlobTypeHeader, BlobTransfer.BlockBlob);
        return (await storage.SendAsync(transfers.Outputs!, put, stopping)).IsSuccess;
    }

    private static HttpRequestMessage SingleCompletion(Fleet fleet, SimulatedDevice device, WorkUnitLease unit)
    {
        var completion = new MultipartFormDataContent
        {
            { new ByteArrayContent(fleet.OutputsFor(unit.InputSha256).Npz), WorkerRoutes.OutputsField, "outputs.npz" },
            { new ByteArrayContent(ComputeMilliseconds), WorkerRoutes.ComputeMillisecondsField },
            { new ByteArrayContent(InferenceCount), WorkerRoutes.InferenceCountField },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, WorkerRoutes.Complete(unit.LeaseId)) { Content = completion };
        request.Headers.Authorization = device.Authorization;
        return request;
    }

    /// <summary>A batched completion: on the local folder each unit's outputs as the file part named by its lease; on object storage only the entries, each declaring its upload.</summary>
    private static HttpRequestMessage BatchCompletion(Fleet fleet, SimulatedDevice device, IReadOnlyList<WorkUnitLease> units)
    {
        var direct = fleet.Store != Store.Local;
        var entries = units.Select(unit => new UnitCompletion(unit.LeaseId, 12, 1,
            direct ? fleet.OutputsFor(unit.InputSha256).Declared : null)).ToList();
        var completion = new MultipartFormDataContent
        {
            { new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(entries, Json)), WorkerRoutes.CompletionsField },
        };
        if (!direct)
        {
            foreach (var unit in units)
            {
                completion.Add(new ByteArrayContent(fleet.OutputsFor(unit.InputSha256).Npz), unit.LeaseId.ToString(), "outputs.npz");
            }
        }

        var request = new HttpRequestMessage(HttpMethod.Post, WorkerRoutes.CompleteMany) { Content = completion };
        request.Headers.Authorization = device.Authorization;
        return request;
    }

    /// <summary>How many results were taken; the others are counted as outcomes of the completion.</summary>
    private static long CountAccepted(OperationStats complete, IEnumerable<CompletionResponse> answers)
    {
        long accepted = 0;
        foreach (var answer in answers)
        {
            if (answer.Accepted)
            {
                accepted++;
            }
            else
            {
                complete.CountOutcome($"200, not accepted: {answer.Reason}");
            }
        }

        return accepted;
    }

    private static async Task<RunResult> RunAsync(string name, Store? store, Uri baseAddress, int devices, LoadTestOptions options,
        ServerInstruments server, TextWriter log, Func<LoadClient, LoadClient, int, CancellationToken, Task> device,
        IReadOnlyList<OperationStats> operations, Func<long> cycles)
    {
        using var node = new LoadClient(baseAddress, options.Concurrency);
        // Requests to storage have connections and a gate of their own: a device's GETs and PUTs to a storage account
        // do not wait for its connections to the web node, nor count against the web node's requests in flight.
        using var storage = new LoadClient(baseAddress: null, options.Concurrency);
        using var stopping = new CancellationTokenSource();
        var loops = Enumerable.Range(0, devices).Select(i => Task.Run(() => Loop(i, stopping.Token))).ToArray();
        Func<TimeSpan>? storeCpu = store == Store.Azurite ? () => Azurite.Shared.ProcessorTime : null;

        log.WriteLine($"{name}: {devices} devices, {options.Concurrency} in flight, warming up {options.WarmupSeconds} s");
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        server.Requests.Clear();
        server.Requests.Recording = true;
        server.Database?.Clear();
        server.Database?.Recording = true;
        server.Traffic.Clear();
        server.Traffic.Recording = true;
        var before = RuntimeSnapshot.Take();
        var storeCpuBefore = storeCpu?.Invoke();
        node.OpenWindow();
        storage.OpenWindow();
        log.WriteLine($"{name}: measuring {options.Seconds} s");
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        node.CloseWindow();
        storage.CloseWindow();
        var after = RuntimeSnapshot.Take();
        var storeCpuUsed = storeCpu?.Invoke() - storeCpuBefore;
        server.Requests.Recording = false;
        server.Database?.Recording = false;
        server.Traffic.Recording = false;

        await stopping.CancelAsync();
        await Task.WhenAll(loops);
        var routes = operations.Where(operation => operation.Route is not null)
            .ToDictionary(operation => operation.Route!, operation => server.Requests.Of(operation.Route!));
        return new RunResult(name, store, node.Window, operations, cycles(), new RuntimeUsage(before, after), routes, server.Traffic.Relayed,
            server.Traffic.ReadBack, server.Traffic.UnitsTaken, storeCpuUsed)
        { Database = server.Database?.Rows };

        async Task Loop(int index, CancellationToken cancellationToken)
        {
            try
            {
                await device(node, storage, index, cancellationToken);
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

    /// <summary>The requests that move a unit's bytes in a run: the input's GET, and on object storage the outputs' PUT.</summary>
    private sealed record Transfers(OperationStats Input, OperationStats? Outputs)
    {
        public IEnumerable<OperationStats> Operations => Outputs is null ? [Input] : [Input, Outputs];

        public static Transfers For(Store store) => store == Store.Local
            ? new Transfers(new OperationStats("GET input from the web node", BlobRoute), Outputs: null)
            : new Transfers(new OperationStats("GET input from storage"), new OperationStats("PUT outputs to storage"));
    }
}
