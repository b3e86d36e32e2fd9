using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain.Devices;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class PairingTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task Pair_ValidCode_IssuesCredentialAndDeviceGoesOnline()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        using var client = app.NewClient();

        var response = await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code.ToLowerInvariant()));

        response.EnsureSuccessStatusCode();
        var paired = await response.Content.ReadFromJsonAsync<PairResponse>();
        Assert.StartsWith("fmd_", paired!.Credential);
        var device = await app.QueryAsync(db => db.Devices.AsNoTracking().SingleAsync(d => d.Id == code.DeviceId));
        Assert.Equal(DeviceStatus.Online, device.Status);
        Assert.NotEqual(paired.Credential, device.CredentialHash);
        Assert.Null(device.PairingCodeHash);
    }

    [Fact]
    public async Task Pair_CodeUsedTwice_SecondAttemptRejectedAndCredentialUnchanged()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync();
        using var client = app.NewClient();
        (await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code))).EnsureSuccessStatusCode();
        var hashAfterFirst = await app.QueryAsync(db => db.Devices.Where(d => d.Id == code.DeviceId).Select(d => d.CredentialHash).SingleAsync());

        var second = await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        var hashAfterSecond = await app.QueryAsync(db => db.Devices.Where(d => d.Id == code.DeviceId).Select(d => d.CredentialHash).SingleAsync());
        Assert.Equal(hashAfterFirst, hashAfterSecond);
    }

    [Fact]
    public async Task Pair_UnknownCode_ProblemDetailsNamesTheProblem()
    {
        using var client = app.NewClient();

        var response = await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest("NOTACODE"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("invalid or has expired", problem!.Detail);
    }

    [Fact]
    public async Task WorkerEndpoints_WithoutOrWithRevokedCredential_AreUnauthorized()
    {
        using var anonymous = app.NewClient();
        using var forged = _market.DeviceClient(new PairedDevice(null!, Guid.NewGuid(), "fmd_forged"));

        var noCredential = await anonymous.PostAsJsonAsync(WorkerRoutes.Lease, new { });
        var badCredential = await forged.PostAsJsonAsync(WorkerRoutes.Lease, new { });

        Assert.Equal(HttpStatusCode.Unauthorized, noCredential.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badCredential.StatusCode);
    }
}
