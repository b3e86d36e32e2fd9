using System.Net;
using System.Net.Http.Json;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// A device uploads a unit's outputs up to <c>Marketplace:MaxOutputBytes</c> (500 MiB by default), not Kestrel's
/// 30 MB default; a job whose units' outputs could never fit is refused at submission (see <see cref="BadInputCatalogueTests"/>).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OutputCeilingTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task CompleteLease_OutputsPastKestrelsDefaultBodyLimit_Accepted()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var lease = await MarketplaceBuilder.LeaseAsync(device);
        Assert.Equal(jobId, lease?.JobId);
        var outputs = Npz.ToBytes(new Dictionary<string, NpyArray>
        {
            [ReferenceModel.OutputName] = NpyArray.FromFloats(new float[4 * 2_000_000], 4, 2_000_000),
        });
        Assert.True(outputs.Length > 30_000_000);

        var response = await MarketplaceBuilder.UploadAsync(device, lease!.LeaseId, outputs);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True((await response.Content.ReadFromJsonAsync<CompletionResponse>())!.Accepted);
    }
}
