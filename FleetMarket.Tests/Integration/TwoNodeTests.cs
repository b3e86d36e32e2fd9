using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Settlement;
using Hangfire;
using Hangfire.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Two web nodes over one database, as docker-compose runs them behind its load balancer: two app instances share
/// the SQLite files (the marketplace's and Hangfire's), each serving HTTP and each running a Hangfire server.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TwoNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Both schedulers poll every second, so that recurring occurrences come within the test's time.</summary>
    private static readonly Dictionary<string, string?> Settings = new() { ["BackgroundTasks:SchedulePollingInterval"] = "00:00:01" };

    private readonly FleetApp _a = new(Settings);
    private FleetApp _b = null!;

    public Task InitializeAsync()
    {
        _b = new FleetApp(Settings, sharedDataPath: _a.DataPath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Lease_DevicesOnBothNodesDrainOneQueue_EachUnitHandedOutOnce()
    {
        var market = new MarketplaceBuilder(_a);
        var devices = new List<PairedDevice>();
        for (var i = 0; i < 12; i++)
        {
            devices.Add(await market.PairedDeviceAsync());
        }

        var buyer = await market.BuyerWithBalanceAsync();
        var jobId = await market.SubmitSampleJobAsync(buyer, rows: 48, rowsPerUnit: 1);
        var units = await _a.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).Select(u => u.Id).ToListAsync());

        // Half the devices talk to node A, half to node B; each completes every other unit on the other node.
        var workers = devices.Select((device, i) => new NodeWorker(device, Client(i % 2 == 0 ? _a : _b, device),
            Client(i % 2 == 0 ? _b : _a, device))).ToList();
        var taken = new ConcurrentQueue<Taken>();
        var answers = new ConcurrentQueue<(Taken Lease, CompletionResponse Answer)>();

        // All twelve lease at once first, the most contended moment; then each works until the queue is empty.
        var first = await Task.WhenAll(workers.Select(w => MarketplaceBuilder.LeaseAsync(w.Home)));
        await Task.WhenAll(workers.Select((worker, i) => Task.Run(() => DrainAsync(worker, first[i], jobId, taken, answers))));

        var leases = taken.ToList();
        output.WriteLine($"{units.Count} units; {leases.Count(l => l.Node == "A")} leases on node A, {leases.Count(l => l.Node == "B")} on node B");
        Assert.All(first, lease => Assert.NotNull(lease));
        Assert.Contains(leases, l => l.Node == "A");
        Assert.Contains(leases, l => l.Node == "B");

        // Every unit was handed out exactly once, to one device, under one lease. Nothing was released and no lease
        // (five minutes) ran out, so a unit handed out twice would have had two live leases at once.
        var handedTwice = leases.GroupBy(l => l.WorkUnitId).Where(g => g.Count() > 1).Select(g => string.Join(", ", g)).ToList();
        Assert.True(handedTwice.Count == 0, $"Units handed out more than once:\n{string.Join("\n", handedTwice)}");
        Assert.Equal(units.Order(), leases.Select(l => l.WorkUnitId).Order());
        Assert.Equal(leases.Count, leases.Select(l => l.LeaseId).Distinct().Count());

        // No device was told its lease was not its own: every result was accepted, the first time.
        Assert.Equal(leases.Count, answers.Count);
        Assert.All(answers, a => Assert.True(a.Answer is { Accepted: true, Reason: null }, $"{a.Lease}: {a.Answer}"));

        // The database agrees: one attempt per unit, by the device the lease answer named, and one usage record each.
        var rows = await _a.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        var usage = await _a.QueryAsync(db => db.UsageRecords.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        var byUnit = leases.ToDictionary(l => l.WorkUnitId);
        Assert.All(rows, unit =>
        {
            Assert.Equal(WorkUnitStatus.Done, unit.Status);
            Assert.Equal(1, unit.Attempts);
            Assert.Equal(byUnit[unit.Id].LeaseId, unit.LeaseId);
            Assert.Equal(byUnit[unit.Id].DeviceId, unit.DeviceId);
        });
        Assert.Equal(units.Order(), usage.Select(u => u.WorkUnitId).Order());
        Assert.All(usage, u => Assert.Equal(byUnit[u.WorkUnitId].DeviceId, u.DeviceId));
    }

    private async Task DrainAsync(NodeWorker worker, WorkUnitLease? lease, Guid jobId, ConcurrentQueue<Taken> taken,
        ConcurrentQueue<(Taken, CompletionResponse)> answers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var done = 0; ; done++)
        {
            if (lease is null)
            {
                // Nothing offered: finished when no unit waits in the queue (the others are in hand elsewhere).
                if (!await _a.QueryAsync(db => db.WorkUnits.AnyAsync(u => u.JobId == jobId && u.Status == WorkUnitStatus.Queued)))
                {
                    return;
                }
            }
            else
            {
                var record = new Taken(lease.WorkUnitId, lease.LeaseId, worker.Device.DeviceId, NodeOf(worker.Home));
                taken.Enqueue(record);
                answers.Enqueue((record, await CompleteAsync(done % 2 == 0 ? worker.Home : worker.Away, lease)));
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Device {worker.Device.DeviceId} still working after 60 s.");
            }

            lease = await MarketplaceBuilder.LeaseAsync(worker.Home);
        }
    }

    /// <summary>The node's answer to an honest result; a refusal (say, the input is no longer this device's to read) as a rejection.</summary>
    private static async Task<CompletionResponse> CompleteAsync(HttpClient device, WorkUnitLease lease)
    {
        try
        {
            var response = await MarketplaceBuilder.CompleteHonestlyAsync(device, lease);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<CompletionResponse>())!;
        }
        catch (HttpRequestException refused)
        {
            return new CompletionResponse(false, refused.Message);
        }
    }

    private string NodeOf(HttpClient client) => client.BaseAddress == _a.BaseAddress ? "A" : "B";

    private static HttpClient Client(FleetApp node, PairedDevice device)
    {
        var client = node.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.Credential);
        return client;
    }

    private sealed record NodeWorker(PairedDevice Device, HttpClient Home, HttpClient Away);

    private sealed record Taken(Guid WorkUnitId, Guid LeaseId, Guid DeviceId, string Node);

    [Fact]
    public async Task RecurringJob_SchedulersOnBothNodes_EachOccurrenceRunsOnce()
    {
        var storage = _a.Services.GetRequiredService<JobStorage>();
        await BothServersUpAsync(storage);
        var id = $"two-node-probe-{Guid.NewGuid():N}";

        // Each node registers the same id, as RecurringJobRegistration does at start: one schedule, every second.
        var from = DateTimeOffset.UtcNow;
        foreach (var app in new[] { _a, _b })
        {
            app.Services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<RecurringProbe>(id, probe => probe.Run(id, null!), "* * * * * *");
        }

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(RecurringProbe.RunsOf(id).Count >= 5), TimeSpan.FromSeconds(15),
                "five runs of the probe");
        }
        finally
        {
            _a.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(id);
        }

        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - from.ToUnixTimeSeconds() + 1;
        var runs = RecurringProbe.RunsOf(id);
        foreach (var run in runs)
        {
            output.WriteLine($"job {run.JobId} for {run.Occurrence} ran on node {NodeOf(run.Server)}");
        }

        // No background job ran twice.
        Assert.Equal(runs.Count, runs.Select(r => r.JobId).Distinct().Count());

        // No occurrence was enqueued twice: both schedulers poll every second, so without the storage's lock each
        // second would bring two probe jobs. Among every probe job created, whatever its state now, there is at
        // most one per second the schedule ran, and no two carry the same "Time" that Hangfire stamps on them.
        var created = ProbeJobIds(storage, id);
        Assert.Subset(created.ToHashSet(), runs.Select(r => r.JobId).ToHashSet());
        Assert.True(created.Count <= seconds, $"{created.Count} probe jobs in {seconds} seconds of an every-second schedule");
        using var connection = storage.GetConnection();
        var stamps = created.Select(job => connection.GetJobParameter(job, "Time")).ToList();
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task SettleUsage_TriggeredOnBothNodesAtOnce_OneRunSettlesTheUsage()
    {
        var market = new MarketplaceBuilder(_a);
        var buyer = await market.BuyerWithBalanceAsync();
        await market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 2);
        using (var worker = Client(_b, await market.PairedDeviceAsync()))
        {
            await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
        }

        await BothServersUpAsync(_a.Services.GetRequiredService<JobStorage>());
        var usage = await _a.QueryAsync(db => db.UsageRecords.CountAsync());
        var usageGroups = await _a.QueryAsync(db => db.UsageRecords.GroupBy(u => new { u.JobId, u.OwnerId }).CountAsync(g => g.Sum(u => u.ChargeMinor) != 0));

        // Two runs through Hangfire, one asked for on each node; DisableConcurrentExecution makes the second wait.
        await Task.WhenAll(_a.RunRecurringJobAsync(SettlementTask.Id), _b.RunRecurringJobAsync(SettlementTask.Id));

        var runs = await _a.QueryAsync(db => db.SettlementRuns.AsNoTracking().ToListAsync());
        var keys = await _a.QueryAsync(db => db.LedgerTransactions.Select(t => t.IdempotencyKey).ToListAsync());
        Assert.Equal(4, usage);
        Assert.Equal(usage, Assert.Single(runs).UsageRecords);
        Assert.Equal(usageGroups, keys.Count(k => k.StartsWith("usage:"))); // One per job and owner.
        Assert.False(await _a.QueryAsync(db => db.UsageRecords.AnyAsync(u => u.SettledAt == null)));
        Assert.Equal(0, await _a.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
    }

    /// <summary>Each node's Hangfire server has announced itself on the shared storage.</summary>
    private static Task BothServersUpAsync(JobStorage storage) => Eventually.TrueAsync(
        () => Task.FromResult(storage.GetMonitoringApi().Servers().Count == 2), TimeSpan.FromSeconds(10), "both nodes' Hangfire servers");

    private string NodeOf(IServer server) => ReferenceEquals(server, _a.Services.GetRequiredService<IServer>()) ? "A" : "B";

    /// <summary>
    /// Every background job of the probe with this id that the storage holds, in any state. States are read in the
    /// order jobs move through them, so a job that moves on between two reads is seen twice rather than missed.
    /// </summary>
    private static List<string> ProbeJobIds(JobStorage storage, string id)
    {
        var monitoring = storage.GetMonitoringApi();
        bool IsProbe(Hangfire.Common.Job? job) => job?.Type == typeof(RecurringProbe) && Equals(job.Args[0], id);
        return monitoring.EnqueuedJobs("default", 0, 1000).Where(j => IsProbe(j.Value.Job)).Select(j => j.Key)
            .Concat(monitoring.ProcessingJobs(0, 1000).Where(j => IsProbe(j.Value.Job)).Select(j => j.Key))
            .Concat(monitoring.SucceededJobs(0, 1000).Where(j => IsProbe(j.Value.Job)).Select(j => j.Key))
            .Concat(monitoring.FailedJobs(0, 1000).Where(j => IsProbe(j.Value.Job)).Select(j => j.Key))
            .Distinct()
            .ToList();
    }
}

/// <summary>A recurring job that records each run: which background job, for which occurrence, on which node.</summary>
public sealed class RecurringProbe(IServer server)
{
    public sealed record Execution(string JobId, long Occurrence, IServer Server);

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<Execution>> Runs = new();

    public static IReadOnlyList<Execution> RunsOf(string id) => Runs.TryGetValue(id, out var runs) ? [.. runs] : [];

    public void Run(string id, PerformContext context) =>
        Runs.GetOrAdd(id, _ => new()).Enqueue(new Execution(context.BackgroundJob.Id, context.GetJobParameter<long>("Time"), server));
}
