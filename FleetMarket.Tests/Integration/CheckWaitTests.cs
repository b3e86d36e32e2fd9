using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// A job whose results wait for a check says so, says whether any device could run it, and once no device could for
/// longer than the limit (nil here), lets its buyer take the results unchecked.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CheckWaitTests : IAsyncLifetime
{
    private readonly FleetApp _app = new(new() { ["Marketplace:CheckWaitLimit"] = "00:00:00" });
    private readonly MarketplaceBuilder _market;

    public CheckWaitTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task OneOwnersResults_WaitWithNoCheckerOnline_AndAcceptedUnchecked_CompleteBilledOnce()
    {
        var device = await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 8, rowsPerUnit: 4, VerificationPolicy.Adaptive);
        using (var worker = _market.DeviceClient(device))
        {
            await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
        }

        var waiting = await ProgressAsync(buyer.Id, jobId);
        Assert.Equal((JobStatus.Running, 2, 0, true), (waiting.Status, waiting.AwaitingCheck, waiting.CheckersOnline, waiting.MayWaiveChecks));

        using var api = await ApiClientAsync(buyer.Id);
        var accepted = await api.PostAsync($"/api/jobs/{jobId}/accept-unchecked", null);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(VerificationMode.None, (await accepted.Content.ReadFromJsonAsync<JobProgress>(ApiJson.Options))!.Verification);
        await Eventually.TrueAsync(async () => (await ProgressAsync(buyer.Id, jobId)).Status == JobStatus.Completed,
            TimeSpan.FromSeconds(30), "the job's results accepted unchecked and assembled");
        var billed = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId).Select(u => u.DeviceId).ToListAsync());
        Assert.Equal(new[] { device.DeviceId, device.DeviceId }, billed);
        Assert.DoesNotContain(await _app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).Select(u => u.Status).ToListAsync()),
            status => status is WorkUnitStatus.Queued or WorkUnitStatus.Checking);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/jobs/{jobId}/accept-unchecked", null)).StatusCode);
    }

    [Fact]
    public async Task AnotherOwnersDeviceOnline_IsCounted_AndTheWaitIsNotOfferedToBeWaived()
    {
        var device = await _market.PairedDeviceAsync();
        await _market.PairedDeviceAsync();
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4, VerificationPolicy.Adaptive);
        using (var worker = _market.DeviceClient(device))
        {
            var lease = (await MarketplaceBuilder.LeaseAsync(worker))!;
            (await MarketplaceBuilder.CompleteHonestlyAsync(worker, lease)).EnsureSuccessStatusCode();
        }

        var waiting = await ProgressAsync(buyer.Id, jobId);

        Assert.Equal((1, 1, false), (waiting.AwaitingCheck, waiting.CheckersOnline, waiting.MayWaiveChecks));
    }

    private Task<JobProgress> ProgressAsync(string buyerId, Guid jobId) =>
        _app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyerId, jobId));

    private async Task<HttpClient> ApiClientAsync(string buyerId)
    {
        var key = await _app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyerId, "script"));
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        return client;
    }
}
