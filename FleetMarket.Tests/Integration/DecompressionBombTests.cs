using System.Net;
using System.Net.Http.Json;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Half a MiB of deflated zeros behind a valid <c>.npy</c> header inflates to 512 MiB, past the default input and
/// output limits of 500 MiB. Both routes that take archives from outside refuse it with a problem, and the whole
/// process allocates a small fraction of the bomb meanwhile (the app runs in this process).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DecompressionBombTests(FleetApp app) : IClassFixture<FleetApp>
{
    private const long BombBytes = 512L * 1024 * 1024;
    private const long AllocationCeiling = BombBytes / 8;

    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task SubmitJob_NpzBomb_RefusedWithAProblem_AndAllocationsStayBounded()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(app, buyer);
        var bomb = NpzBomb.Build(ReferenceModel.InputName, NpyDType.Float32, [(int)(BombBytes / 16), ReferenceModel.InputWidth]);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(ReferenceModel.Build()), "model", "model.onnx" },
            { new ByteArrayContent(bomb), "inputs", "inputs.npz" },
        };

        var (response, allocated) = await MeasuredAsync(() => client.PostAsync("/api/jobs", form));

        await AssertRefusedAsync(response, bomb, allocated);
        Assert.Equal(0, await app.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == buyer.Id)));
    }

    [Fact]
    public async Task CompleteLease_NpzBombAsOutputs_RefusedWithAProblem_AndAllocationsStayBounded()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await MarketplaceBuilder.LeaseAsync(device);
        Assert.Equal(jobId, lease?.JobId);
        // Rows as the unit has them, so only the size gives it away.
        var bomb = NpzBomb.Build(ReferenceModel.OutputName, NpyDType.Float32, [4, (int)(BombBytes / 16)]);

        var (response, allocated) = await MeasuredAsync(() => MarketplaceBuilder.UploadAsync(device, lease!.LeaseId, bomb));

        await AssertRefusedAsync(response, bomb, allocated);
        Assert.Null(await app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).Select(u => u.OutputSha256).SingleAsync()));
    }

    /// <summary>The request's response and the bytes the process allocated while it was served (the app's allocations included).</summary>
    private static async Task<(HttpResponseMessage Response, long Allocated)> MeasuredAsync(Func<Task<HttpResponseMessage>> send)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var response = await send();
        return (response, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, byte[] bomb, long allocated)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("more than the", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.True(allocated < AllocationCeiling,
            $"Serving a {bomb.Length:N0}-byte bomb of {BombBytes:N0} inflated bytes allocated {allocated:N0} bytes; at most {AllocationCeiling:N0} were expected.");
    }
}
