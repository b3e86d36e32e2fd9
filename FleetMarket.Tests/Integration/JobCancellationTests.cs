using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Settlement;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Cancelling a job: unstarted units withdrawn, running ones may finish and are paid, the rest of the escrow returns.</summary>
[Collection(AppCollection.Name)]
public sealed class JobCancellationTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();
    private readonly MarketplaceBuilder _market;

    public JobCancellationTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Cancel_WithOneUnitRunning_RunningUnitIsPaid_RestWithdrawn_UnspentEscrowReturned()
    {
        var buyer = await _market.BuyerWithBalanceAsync(10_00);
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var running = (await MarketplaceBuilder.LeaseAsync(device))!;
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);

        var cancelled = await client.PostAsync($"/api/jobs/{jobId}/cancel", null);
        (await MarketplaceBuilder.CompleteHonestlyAsync(device, running)).EnsureSuccessStatusCode();
        Assert.Null(await MarketplaceBuilder.LeaseAsync(device));
        await _app.RunRecurringJobAsync(SettlementTask.Id);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(JobStatus.Cancelled, (await cancelled.Content.ReadFromJsonAsync<JobProgress>(ApiJson.Options))!.Status);
        var units = await _app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
        Assert.Equal(1, units.Count(u => u.Status == WorkUnitStatus.Done));
        Assert.Equal(3, units.Count(u => u.Status == WorkUnitStatus.Failed && u.FailureReason!.Contains("cancelled")));
        var charged = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).SumAsync(u => u.ChargeMinor));
        var balance = await _app.InScopeAsync(s => s.GetRequiredService<BalanceService>().GetAsync(buyer.Id));
        Assert.Equal(0, balance.Held.Minor);
        Assert.Equal(10_00 - charged, balance.Available.Minor);
    }

    [Fact]
    public async Task Cancel_CompletedJob_IsRefusedWithAReason()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 2, rowsPerUnit: 2);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        await MarketplaceBuilder.CompleteAllOfferedAsync(device);
        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);

        var response = await client.PostAsync($"/api/jobs/{jobId}/cancel", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("only a queued, running or paused job", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Cancel_AnotherBuyersJob_IsNotFoundAndTheJobRuns()
    {
        var owner = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(owner);
        using var stranger = await TestUsers.SignedInClientAsync(_app, await _market.BuyerWithBalanceAsync());

        var response = await stranger.PostAsync($"/api/jobs/{jobId}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(JobStatus.Queued, await _app.QueryAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync()));
    }
}
