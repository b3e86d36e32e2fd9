using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FleetMarket.Domain.Jobs;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ContentHash = FleetMarket.Web.Blobs.ContentHash;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Blobs in Azure Blob Storage (Azurite): devices and buyers move bytes to and from the store by short-lived URLs
/// that reach one blob each, and the server takes an upload only once it has read it back and found it as declared.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ObjectStorageTests : IAsyncDisposable
{
    private readonly HttpClient _storage = new();
    private FleetApp? _app;
    private MarketplaceBuilder _market = null!;

    private void Start(TimeSpan? transferUrlLifetime = null, Dictionary<string, string?>? settings = null)
    {
        _app = FleetApp.OnObjectStorage(transferUrlLifetime, settings);
        _market = new MarketplaceBuilder(_app);
    }

    public async ValueTask DisposeAsync()
    {
        _storage.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task AResultUploadedStraightToTheStore_IsTaken_AndTheWebNodeRelaysNoByteOfTheUnit()
    {
        Start();
        using var relayed = new RelayedBytesMeter();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 3, rowsPerUnit: 3);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());

        var lease = Assert.Single(await LeaseManyAsync(device));
        var transfer = lease.Transfer ?? throw new Xunit.Sdk.XunitException("The lease came without transfer URLs.");
        var model = await _storage.GetByteArrayAsync(transfer.ModelUrl);
        var outputs = MarketplaceBuilder.HonestOutputs(await _storage.GetByteArrayAsync(transfer.InputUrl));
        (await PutAsync(transfer.OutputsUrl, outputs)).EnsureSuccessStatusCode();
        var answer = Assert.Single(await CompleteAsync(device, lease, Declared(outputs)));

        Assert.Equal(lease.ModelSha256, ContentHash.Of(model));
        Assert.True(answer.Accepted, answer.Reason);
        await Eventually.TrueAsync(() => _app!.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
        Assert.Equal(0, relayed.Relayed);
        Assert.Equal(outputs.Length, relayed.ReadBack);
    }

    [Fact]
    public async Task AForgedUpload_ThatIsNotWhatItsCompletionDeclares_IsRefused_AndTheLeaseWaitsForTheTrueOne()
    {
        Start();
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 2, rowsPerUnit: 2);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = Assert.Single(await LeaseManyAsync(device));
        var honest = MarketplaceBuilder.HonestOutputs(await _storage.GetByteArrayAsync(lease.Transfer!.InputUrl));

        (await PutAsync(lease.Transfer.OutputsUrl, MarketplaceBuilder.ZeroOutputs(rows: 2))).EnsureSuccessStatusCode();
        var forged = Assert.Single(await CompleteAsync(device, lease, Declared(honest)));
        var status = await _app!.QueryAsync(db => db.WorkUnits.Where(u => u.LeaseId == lease.LeaseId).Select(u => u.Status).SingleAsync());
        (await PutAsync(lease.Transfer.OutputsUrl, honest)).EnsureSuccessStatusCode();
        var honestAnswer = Assert.Single(await CompleteAsync(device, lease, Declared(honest)));

        Assert.True(forged.Refused);
        Assert.Contains("not those declared", forged.Reason);
        Assert.Equal(WorkUnitStatus.Leased, status);
        Assert.True(honestAnswer.Accepted, honestAnswer.Reason);
        Assert.Equal(1, await _app.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
    }

    [Fact]
    public async Task OutputsLargerThanAllowed_AreRefused_AndNothingIsRecorded()
    {
        Start(settings: new() { ["Marketplace:MaxOutputBytes"] = "4096" });
        var jobId = await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = Assert.Single(await LeaseManyAsync(device));
        var oversized = new byte[64 * 1024];
        Random.Shared.NextBytes(oversized);

        (await PutAsync(lease.Transfer!.OutputsUrl, oversized)).EnsureSuccessStatusCode();
        var answer = Assert.Single(await CompleteAsync(device, lease, Declared(oversized)));

        Assert.Equal(4096, lease.Transfer.MaxOutputBytes);
        Assert.True(answer.Refused);
        Assert.Contains("at most 4,096 bytes", answer.Reason);
        Assert.Equal(0, await _app!.QueryAsync(db => db.UsageRecords.CountAsync(u => u.JobId == jobId)));
    }

    [Fact]
    public async Task AnExpiredUrl_IsRefusedByTheStore_AndTheLeasesRenewalBringsFreshOnes()
    {
        Start(TimeSpan.FromSeconds(2), new() { ["Marketplace:LeaseDuration"] = "00:01:00" });
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = Assert.Single(await LeaseManyAsync(device));
        var outputs = MarketplaceBuilder.ZeroOutputs(rows: 1);

        await Task.Delay(TimeSpan.FromSeconds(3));
        using var expiredRead = await _storage.GetAsync(lease.Transfer!.InputUrl);
        using var expiredWrite = await PutAsync(lease.Transfer.OutputsUrl, outputs);
        var renewal = await (await device.PostAsync(WorkerRoutes.Renew(lease.LeaseId), null)).Content.ReadFromJsonAsync<LeaseRenewal>();
        using var freshWrite = await PutAsync(renewal!.Transfer!.OutputsUrl, outputs);

        Assert.Equal(HttpStatusCode.Forbidden, expiredRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expiredWrite.StatusCode);
        Assert.True(renewal.Transfer.ExpiresAt > lease.Transfer.ExpiresAt);
        Assert.Equal(HttpStatusCode.Created, freshWrite.StatusCode);
    }

    [Fact]
    public async Task EachUrl_ReachesItsOwnBlob_ForItsOwnPurpose_AndNothingElse()
    {
        Start();
        await _market.SubmitSampleJobAsync(await _market.BuyerWithBalanceAsync(), rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var transfer = Assert.Single(await LeaseManyAsync(device)).Transfer!;
        var otherBlob = new UriBuilder(transfer.InputUrl) { Path = new UriBuilder(transfer.ModelUrl).Path }.Uri;

        using var readingAnotherBlob = await _storage.GetAsync(otherBlob);
        using var writingAReadUrl = await PutAsync(transfer.InputUrl, [1, 2, 3]);
        using var readingTheUploadUrl = await _storage.GetAsync(transfer.OutputsUrl);

        Assert.Equal(HttpStatusCode.Forbidden, readingAnotherBlob.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writingAReadUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readingTheUploadUrl.StatusCode);
    }

    [Fact]
    public async Task ABuyer_UploadsModelAndInputsStraightToTheStore_SubmitsThem_AndDownloadsTheOutputsByLink()
    {
        Start();
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        using var api = await ApiClientAsync(buyer.Id);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var model = await UploadAsync(api, ReferenceModel.Build());
        var inputs = await UploadAsync(api, Npy.ToBytes(MarketplaceBuilder.SampleInputs(4)));
        var garbage = await UploadAsync(api, [1, 2, 3, 4]);

        using var badModel = await SubmitAsync(api, garbage, inputs);
        using var submitted = await SubmitAsync(api, model, inputs);
        var job = await submitted.Content.ReadFromJsonAsync<JobProgress>(ApiJson.Options);
        await MarketplaceBuilder.CompleteAllOfferedDirectlyAsync(device, _storage);
        await Eventually.TrueAsync(() => _app!.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == job!.Id && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
        var link = await api.GetFromJsonAsync<OutputsLink>($"/api/jobs/{job!.Id}/outputs/link", ApiJson.Options);
        using var direct = await _storage.GetAsync(link!.Url);
        var relayedDownload = await api.GetByteArrayAsync($"/api/jobs/{job.Id}/outputs");

        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Equal("application/problem+json", badModel.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(relayedDownload, await direct.Content.ReadAsByteArrayAsync());
        Assert.Equal(link.FileName, direct.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(ContentHash.Of(relayedDownload), link.Sha256);
    }

    [Fact]
    public async Task ABuyer_CannotSubmitAnotherBuyersUpload()
    {
        Start();
        var owner = await _market.BuyerWithBalanceAsync(20_00);
        using var ownerApi = await ApiClientAsync(owner.Id);
        using var strangerApi = await ApiClientAsync((await _market.BuyerWithBalanceAsync(20_00)).Id);
        var model = await UploadAsync(ownerApi, ReferenceModel.Build());
        var inputs = await UploadAsync(ownerApi, Npy.ToBytes(MarketplaceBuilder.SampleInputs(4)));

        using var stolen = await SubmitAsync(strangerApi, model, inputs);

        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.Contains("No model was uploaded", await stolen.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UploadsNobodyTook_AreDeletedByTheSweep_OnceUntouchedForTheRetention()
    {
        Start(settings: new() { ["BlobStorage:UploadRetention"] = "00:00:05" });
        var buyer = await _market.BuyerWithBalanceAsync(20_00);
        using var api = await ApiClientAsync(buyer.Id);
        var abandoned = await UploadAsync(api, ReferenceModel.Build());

        await Task.Delay(TimeSpan.FromSeconds(6));
        var model = await UploadAsync(api, ReferenceModel.Build());
        var inputs = await UploadAsync(api, Npy.ToBytes(MarketplaceBuilder.SampleInputs(4)));
        await _app!.RunRecurringJobAsync(UploadSweepTask.Id);
        using var late = await SubmitAsync(api, abandoned, inputs);
        using var recent = await SubmitAsync(api, model, inputs);

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal(HttpStatusCode.Created, recent.StatusCode);
    }

    [Fact]
    public async Task WithTheLocalFolder_LeasesCarryNoUrls_AndUploadUrlsAreRefusedWithTheWayThatWorks()
    {
        _app = new FleetApp();
        _market = new MarketplaceBuilder(_app);
        var buyer = await _market.BuyerWithBalanceAsync();
        await _market.SubmitSampleJobAsync(buyer, rows: 1, rowsPerUnit: 1);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        using var api = await ApiClientAsync(buyer.Id);

        var lease = Assert.Single(await LeaseManyAsync(device));
        using var upload = await api.PostAsync("/api/jobs/uploads", null);

        Assert.Null(lease.Transfer);
        Assert.Equal(HttpStatusCode.Conflict, upload.StatusCode);
        Assert.Contains("file parts of POST /api/jobs", await upload.Content.ReadAsStringAsync());
    }

    private static UploadedOutputs Declared(byte[] outputs) => new(ContentHash.Of(outputs), outputs.Length);

    private Task<HttpResponseMessage> PutAsync(Uri url, byte[] content) => MarketplaceBuilder.PutToStoreAsync(_storage, url, content);

    private static async Task<IReadOnlyList<WorkUnitLease>> LeaseManyAsync(HttpClient device)
    {
        using var response = await device.PostAsJsonAsync(WorkerRoutes.Leases, new LeaseRequest(MaxUnits: 1));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LeaseBatch>())!.Leases;
    }

    private static async Task<IReadOnlyList<LeaseCompletionResponse>> CompleteAsync(HttpClient device, WorkUnitLease lease, UploadedOutputs uploaded)
    {
        using var response = await MarketplaceBuilder.CompleteUploadedAsync(device, lease.LeaseId, uploaded);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<BatchCompletionResponse>())!.Results;
    }

    private async Task<HttpClient> ApiClientAsync(string buyerId)
    {
        var issued = await _app!.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyerId, "direct transfers"));
        var client = _app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Key);
        return client;
    }

    private async Task<Guid> UploadAsync(HttpClient api, byte[] content)
    {
        using var response = await api.PostAsync("/api/jobs/uploads", null);
        response.EnsureSuccessStatusCode();
        var upload = (await response.Content.ReadFromJsonAsync<DirectUpload>(ApiJson.Options))!;
        (await PutAsync(upload.Url, content)).EnsureSuccessStatusCode();
        return upload.Id;
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient api, Guid model, Guid inputs) =>
        api.PostAsync("/api/jobs", new MultipartFormDataContent
        {
            { new StringContent(model.ToString()), "modelUpload" },
            { new StringContent(inputs.ToString()), "inputsUpload" },
            { new StringContent("none"), "verification" },
        });
}
