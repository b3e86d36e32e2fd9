using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.Integration;

/// <summary>Several units in one lease request and several results in one completion, each result judged on its own.</summary>
[Collection(AppCollection.Name)]
public sealed class BatchedLeaseTests : IAsyncLifetime
{
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>Starts this test's marketplace on <paramref name="database"/>.</summary>
    private void Start(TestDatabase database)
    {
        _app = FleetApp.For(database, new() { ["Marketplace:LeaseDuration"] = "00:00:05", ["Marketplace:MaxUnitDuration"] = "00:01:00" });
        _market = new MarketplaceBuilder(_app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [ProviderTheory]
    public async Task LeaseMany_AskingForMoreThanADeviceMayHold_GetsAsManyAsItMayHold_NeverAUnitTwice(TestDatabase database)
    {
        Start(database);
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 20, rowsPerUnit: 1);
        using var greedy = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var other = _market.DeviceClient(await _market.PairedDeviceAsync());

        var first = await LeaseManyAsync(greedy, LeaseRequest.MaxUnitsPerRequest);
        var full = await LeaseManyAsync(greedy, 4);
        var second = await LeaseManyAsync(other, 5);

        Assert.Equal(8, first.Count);
        Assert.Empty(full);
        Assert.Equal(5, second.Count);
        Assert.Equal(13, first.Concat(second).Select(l => l.WorkUnitId).Distinct().Count());
        Assert.Equal(first.Select(l => l.RowCount), Enumerable.Repeat(1, 8));
    }

    [ProviderTheory]
    public async Task CompleteMany_OneBadOutput_RefusesThatResultOnly_AndRepeatingTheBatchPaysEachUnitOnce(TestDatabase database)
    {
        Start(database);
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 3, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var leases = await LeaseManyAsync(device, 3);
        var honest = await Task.WhenAll(leases.Select(l => MarketplaceBuilder.HonestOutputsAsync(device, l)));

        var withBad = await CompleteManyAsync(device, leases, [honest[0], MarketplaceBuilder.ZeroOutputs(rows: 2), honest[2]]);
        var statuses = await _app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).ToDictionaryAsync(u => u.LeaseId!.Value, u => u.Status));
        var again = await CompleteManyAsync(device, leases, honest);

        Assert.Equal([(true, false), (false, true), (true, false)], withBad.Select(r => (r.Accepted, r.Refused)));
        Assert.Contains("rows", withBad[1].Reason);
        Assert.Equal(WorkUnitStatus.Leased, statuses[leases[1].LeaseId]);
        Assert.All(again, r => Assert.True(r.Accepted));
        Assert.Equal(3, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
    }

    [ProviderTheory]
    public async Task CompleteMany_OneLeaseRanOut_TheOtherIsTaken_AndTheExpiredUnitGoesToAnotherDevice(TestDatabase database)
    {
        Start(database);
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 1);
        using var slow = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var spare = _market.DeviceClient(await _market.PairedDeviceAsync());
        var leases = await LeaseManyAsync(slow, 2);
        var outputs = await Task.WhenAll(leases.Select(l => MarketplaceBuilder.HonestOutputsAsync(slow, l)));

        // The first is renewed while it runs; the second's period passes without a renewal.
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await slow.PostAsync(WorkerRoutes.Renew(leases[0].LeaseId), content: null)).EnsureSuccessStatusCode();
        await Task.Delay(leases[1].ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        var results = await CompleteManyAsync(slow, leases, outputs);

        Assert.True(results[0].Accepted);
        Assert.False(results[1].Accepted);
        Assert.False(results[1].Refused);
        Assert.Equal(leases[1].WorkUnitId, Assert.Single(await LeaseManyAsync(spare, 2)).WorkUnitId);
    }

    public static TheoryData<int> UnitCountsOutOfRange => [0, -1, LeaseRequest.MaxUnitsPerRequest + 1, int.MaxValue];

    [Theory]
    [MemberData(nameof(UnitCountsOutOfRange))]
    public async Task LeaseMany_UnitCountOutOfRange_ProblemNamingTheFieldAndNothingLeased(int maxUnits)
    {
        Start(TestDatabase.Sqlite);
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());

        using var response = await device.PostAsJsonAsync(WorkerRoutes.Leases, new { maxUnits });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "maxUnits");
        Assert.False(await _app.QueryAsync(db => db.WorkUnits.AnyAsync(u => u.JobId == jobId && u.Status != WorkUnitStatus.Queued)));
    }

    [Fact]
    public async Task CompleteMany_MalformedBatches_RefusedWholeAndNothingTaken()
    {
        Start(TestDatabase.Sqlite);
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var thief = _market.DeviceClient(await _market.PairedDeviceAsync());
        var leases = await LeaseManyAsync(device, 2);
        var outputs = await Task.WhenAll(leases.Select(l => MarketplaceBuilder.HonestOutputsAsync(device, l)));

        await AssertProblemAsync(await PostBatchAsync(device, [Entry(leases[0]), Entry(leases[0])], [(leases[0].LeaseId, outputs[0])]),
            HttpStatusCode.BadRequest, "twice");
        await AssertProblemAsync(await PostBatchAsync(device, [Entry(leases[0]), Entry(leases[1])], [(leases[0].LeaseId, outputs[0])]),
            HttpStatusCode.BadRequest, "no outputs");
        await AssertProblemAsync(await PostBatchAsync(device, [], []), HttpStatusCode.BadRequest, "between 1 and");
        await AssertProblemAsync(await PostBatchAsync(device, [Entry(leases[0]) with { ComputeMilliseconds = -1 }], [(leases[0].LeaseId, outputs[0])]),
            HttpStatusCode.BadRequest, "negative");
        await AssertProblemAsync(await CompleteManyResponseAsync(thief, leases, outputs), HttpStatusCode.NotFound, leases[0].LeaseId.ToString());

        Assert.True(await _app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).AllAsync(u => u.Status == WorkUnitStatus.Leased)));
        Assert.False(await _app.QueryAsync(db => db.UsageRecords.AnyAsync(u => u.JobId == jobId)));
    }

    private static UnitCompletion Entry(WorkUnitLease lease) => new(lease.LeaseId, 10, lease.RowCount);

    private static async Task<IReadOnlyList<WorkUnitLease>> LeaseManyAsync(HttpClient device, int maxUnits)
    {
        using var response = await device.PostAsJsonAsync(WorkerRoutes.Leases, new LeaseRequest(MaxUnits: maxUnits));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LeaseBatch>())!.Leases;
    }

    private static async Task<IReadOnlyList<LeaseCompletionResponse>> CompleteManyAsync(HttpClient device, IReadOnlyList<WorkUnitLease> leases,
        IReadOnlyList<byte[]> outputs)
    {
        using var response = await CompleteManyResponseAsync(device, leases, outputs);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<BatchCompletionResponse>())!.Results;
    }

    private static Task<HttpResponseMessage> CompleteManyResponseAsync(HttpClient device, IReadOnlyList<WorkUnitLease> leases,
        IReadOnlyList<byte[]> outputs) =>
        PostBatchAsync(device, leases.Select(Entry).ToList(), leases.Select((l, i) => (l.LeaseId, outputs[i])).ToList());

    private static Task<HttpResponseMessage> PostBatchAsync(HttpClient device, IReadOnlyList<UnitCompletion> entries,
        IReadOnlyList<(Guid LeaseId, byte[] Outputs)> files)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(entries, JsonSerializerOptions.Web)), WorkerRoutes.CompletionsField } };
        foreach (var (leaseId, outputs) in files)
        {
            form.Add(new ByteArrayContent(outputs), leaseId.ToString(), "outputs.npz");
        }

        return device.PostAsync(WorkerRoutes.CompleteMany, form);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mentions, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
