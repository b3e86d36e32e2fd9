using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.Verification;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Results checked across owners over the worker protocol: who runs the checks, what is accepted, who is paid.</summary>
[Collection(AppCollection.Name)]
public sealed class VerificationTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();
    private readonly MarketplaceBuilder _market;

    public VerificationTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Adaptive_ANewDevicesResult_IsCheckedByAnotherOwner_NeverByTheSameOwnersOtherDevice()
    {
        var first = await _market.PairedDeviceAsync();
        var sameOwner = await _market.PairedDeviceOfAsync(first.Owner);
        var otherOwner = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 2, VerificationPolicy.Adaptive);
        using var firstClient = _market.DeviceClient(first);
        using var sameOwnerClient = _market.DeviceClient(sameOwner);
        using var otherClient = _market.DeviceClient(otherOwner);

        var lease = (await MarketplaceBuilder.LeaseAsync(firstClient))!;
        (await MarketplaceBuilder.CompleteHonestlyAsync(firstClient, lease)).EnsureSuccessStatusCode();

        Assert.Equal([WorkUnitStatus.Checking, WorkUnitStatus.Queued], await StatusesAsync(jobId));
        Assert.Equal(0, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
        Assert.Null(await MarketplaceBuilder.LeaseAsync(sameOwnerClient));

        var check = (await MarketplaceBuilder.LeaseAsync(otherClient))!;
        Assert.Equal(lease.InputSha256, check.InputSha256);
        (await MarketplaceBuilder.CompleteHonestlyAsync(otherClient, check)).EnsureSuccessStatusCode();

        Assert.Equal([WorkUnitStatus.Done, WorkUnitStatus.Done], await StatusesAsync(jobId));
        var paid = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).Select(u => u.DeviceId).ToListAsync());
        Assert.Equal(new[] { first.DeviceId, otherOwner.DeviceId }.Order(), paid.Order());
        foreach (var device in new[] { first, otherOwner })
        {
            var record = await _app.QueryAsync(db => db.Devices.AsNoTracking().SingleAsync(d => d.Id == device.DeviceId));
            Assert.Equal((1, 0, 1), (record.ValidResults, record.InvalidResults, record.ValidStreak));
        }

        await JobCompletesAsync(jobId);
    }

    [Fact]
    public async Task Redundancy_AWrongResult_IsOutvotedByAThirdOwner_RejectedAndNeverPaid()
    {
        var honest = await _market.PairedDeviceAsync();
        var cheat = await _market.PairedDeviceAsync();
        var tieBreaker = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 2, VerificationPolicy.Create(VerificationMode.Redundancy, replicas: 2));
        using var honestClient = _market.DeviceClient(honest);
        using var cheatClient = _market.DeviceClient(cheat);
        using var tieBreakerClient = _market.DeviceClient(tieBreaker);

        (await MarketplaceBuilder.CompleteHonestlyAsync(honestClient, (await MarketplaceBuilder.LeaseAsync(honestClient))!)).EnsureSuccessStatusCode();
        var cheatLease = (await MarketplaceBuilder.LeaseAsync(cheatClient))!;
        (await MarketplaceBuilder.UploadAsync(cheatClient, cheatLease.LeaseId, MarketplaceBuilder.ZeroOutputs(rows: 2))).EnsureSuccessStatusCode();

        // Two owners disagree: a third breaks the tie.
        Assert.Equal([WorkUnitStatus.Checking, WorkUnitStatus.Checking, WorkUnitStatus.Queued], await StatusesAsync(jobId));
        (await MarketplaceBuilder.CompleteHonestlyAsync(tieBreakerClient, (await MarketplaceBuilder.LeaseAsync(tieBreakerClient))!)).EnsureSuccessStatusCode();

        var units = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        Assert.Equal(WorkUnitStatus.Rejected, units.Single(u => u.DeviceId == cheat.DeviceId).Status);
        Assert.All(units.Where(u => u.DeviceId != cheat.DeviceId), u => Assert.Equal(WorkUnitStatus.Done, u.Status));
        Assert.False(await _app.QueryAsync(db => db.UsageRecords.AnyAsync(u => u.DeviceId == cheat.DeviceId)));
        var cheatRecord = await _app.QueryAsync(db => db.Devices.AsNoTracking().SingleAsync(d => d.Id == cheat.DeviceId));
        Assert.Equal((0, 1, 0), (cheatRecord.ValidResults, cheatRecord.InvalidResults, cheatRecord.ValidStreak));

        await JobCompletesAsync(jobId);
        await _app.RunRecurringJobAsync(SettlementTask.Id);
        var ledger = _app.Services.CreateScope().ServiceProvider.GetRequiredService<LedgerService>();
        Assert.Equal(0, (await ledger.BalanceAsync(LedgerAccounts.OwnerEarnings(cheat.Owner.Id), "USD")).Minor);
        Assert.True((await ledger.BalanceAsync(LedgerAccounts.OwnerEarnings(tieBreaker.Owner.Id), "USD")).Minor > 0);
    }

    [Fact]
    public async Task Redundancy_ResultsWithinTheBuyersTolerance_Agree()
    {
        var devices = new[] { await _market.PairedDeviceAsync(), await _market.PairedDeviceAsync() };
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 2,
            VerificationPolicy.Create(VerificationMode.Redundancy, replicas: 2, absoluteTolerance: 0.01, relativeTolerance: 0));

        foreach (var (device, nudge) in devices.Zip(new[] { 0f, 0.005f }))
        {
            using var client = _market.DeviceClient(device);
            var lease = (await MarketplaceBuilder.LeaseAsync(client))!;
            var honest = Npz.Read(new MemoryStream(await MarketplaceBuilder.HonestOutputsAsync(client, lease)), TestArrays.Trusted)[ReferenceModel.OutputName];
            var nudged = NpyArray.FromFloats(honest.ToFloats().Select(x => x + nudge).ToArray(), honest.Shape);
            (await MarketplaceBuilder.UploadAsync(client, lease.LeaseId,
                Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.OutputName] = nudged }))).EnsureSuccessStatusCode();
        }

        Assert.Equal([WorkUnitStatus.Done, WorkUnitStatus.Done], await StatusesAsync(jobId));
    }

    [Theory]
    [InlineData("redundancy", "9", null, "2 to 4 devices")]
    [InlineData("adaptive", null, "-1", "at or above zero")]
    [InlineData("sometimes", null, null, "sometimes")]
    public async Task Submit_AVerificationPolicyThatCannotBe_IsRefusedAndCreatesNoJob(string mode, string? replicas, string? tolerance, string expected)
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ReferenceModel.Build()), "model", "model.onnx" },
            { new ByteArrayContent(Npy.ToBytes(MarketplaceBuilder.SampleInputs(4))), "inputs", "inputs.npy" },
            { new StringContent(mode), "verification" },
        };
        if (replicas is not null)
        {
            form.Add(new StringContent(replicas), "replicas");
        }

        if (tolerance is not null)
        {
            form.Add(new StringContent(tolerance), "absoluteTolerance");
        }

        var response = await client.PostAsync("/api/jobs", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.False(await _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.BuyerId == buyer.Id)));
    }

    private Task<List<WorkUnitStatus>> StatusesAsync(Guid jobId) => _app.QueryAsync(db => db.WorkUnits
        .Where(u => u.JobId == jobId).OrderBy(u => u.Index).ThenBy(u => u.Replica).Select(u => u.Status).ToListAsync());

    private Task JobCompletesAsync(Guid jobId) => Eventually.TrueAsync(
        () => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
        TimeSpan.FromSeconds(30), "the job's accepted outputs assembled");
}

/// <summary>A failing device gets less work: with the dice loaded so it is offered work, still one unit at a time.</summary>
[Collection(AppCollection.Name)]
public sealed class FailingDeviceTests : IAsyncLifetime
{
    private readonly FleetApp _app = new([], services: services => services.AddSingleton<VerificationDice>(new LoadedDice(0)));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task FailingDevice_HoldsOneLeaseAtATime_WhileAReliableOneTakesSeveral()
    {
        var market = new MarketplaceBuilder(_app);
        var failing = await market.PairedDeviceAsync();
        var reliable = await market.PairedDeviceAsync();
        await _app.QueryAsync(db => db.Devices.Where(d => d.Id == failing.DeviceId)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.InvalidResults, 5).SetProperty(d => d.ValidResults, 1)));
        var buyer = await market.BuyerWithBalanceAsync();
        await market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 1);
        using var failingClient = market.DeviceClient(failing);
        using var reliableClient = market.DeviceClient(reliable);

        Assert.NotNull(await MarketplaceBuilder.LeaseAsync(failingClient));
        Assert.Null(await MarketplaceBuilder.LeaseAsync(failingClient));
        Assert.NotNull(await MarketplaceBuilder.LeaseAsync(reliableClient));
        Assert.NotNull(await MarketplaceBuilder.LeaseAsync(reliableClient));
    }

    private sealed class LoadedDice(double roll) : VerificationDice
    {
        public override double Roll() => roll;
    }
}

/// <summary>A trusted device caught by a spot check: what it returned unchecked is re-run, and its pay for that reversed.</summary>
[Collection(AppCollection.Name)]
public sealed class SpotCheckTests : IAsyncLifetime
{
    // The trusted device's first two results go unchecked; the third is spot-checked.
    private readonly FleetApp _app = new([], services: services => services.AddSingleton<VerificationDice>(new SequenceDice(0.99, 0.99, 0)));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task TrustedDeviceCaughtBySpotCheck_ItsUncheckedResultsAreRerunAndTheirUsageReversed()
    {
        var market = new MarketplaceBuilder(_app);
        var trusted = await market.PairedDeviceAsync();
        await _app.QueryAsync(db => db.Devices.Where(d => d.Id == trusted.DeviceId)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ValidResults, 20).SetProperty(d => d.ValidStreak, 20)));
        var checkers = new[] { await market.PairedDeviceAsync(), await market.PairedDeviceAsync() };
        var buyer = await market.BuyerWithBalanceAsync();
        var jobId = await market.SubmitSampleJobAsync(buyer, rows: 3, rowsPerUnit: 1, VerificationPolicy.Adaptive);
        using var trustedClient = market.DeviceClient(trusted);

        for (var unit = 0; unit < 3; unit++)
        {
            var lease = (await MarketplaceBuilder.LeaseAsync(trustedClient))!;
            (await MarketplaceBuilder.UploadAsync(trustedClient, lease.LeaseId, MarketplaceBuilder.ZeroOutputs(rows: 1))).EnsureSuccessStatusCode();
        }

        Assert.Equal(2, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.DeviceId == trusted.DeviceId && u.ReversedAt == null)));
        // Two honest owners take turns until neither is offered anything: each check needs the other.
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var checker in checkers)
            {
                using var client = market.DeviceClient(checker);
                await MarketplaceBuilder.CompleteAllOfferedAsync(client);
            }
        }

        var units = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        Assert.All(units.Where(u => u.DeviceId == trusted.DeviceId), u => Assert.Equal(WorkUnitStatus.Rejected, u.Status));
        Assert.Equal([0, 1, 2], units.Where(u => u.Status == WorkUnitStatus.Done).Select(u => u.Index).Distinct().Order());
        Assert.False(await _app.QueryAsync(db => db.UsageRecords.AnyAsync(u => u.DeviceId == trusted.DeviceId && u.ReversedAt == null)));
        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job completed from the re-run units");

        await _app.RunRecurringJobAsync(SettlementTask.Id);
        var ledger = _app.Services.CreateScope().ServiceProvider.GetRequiredService<LedgerService>();
        Assert.Equal(0, (await ledger.BalanceAsync(LedgerAccounts.OwnerEarnings(trusted.Owner.Id), "USD")).Minor);
    }

    private sealed class SequenceDice(params double[] rolls) : VerificationDice
    {
        private int _next;

        public override double Roll() => rolls[Math.Min(Interlocked.Increment(ref _next) - 1, rolls.Length - 1)];
    }
}
