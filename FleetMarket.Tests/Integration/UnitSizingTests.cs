using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Units sized by what the model costs, not by a fixed row count, when the buyer names no size.</summary>
[Collection(AppCollection.Name)]
public sealed class UnitSizingTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();
    private readonly MarketplaceBuilder _market;

    public UnitSizingTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Submit_ModelNeverRun_ProbesInSmallUnits_ThenSizesLaterJobsToTheTargetTime()
    {
        var buyer = await _market.BuyerWithBalanceAsync(1_000_00);
        var probe = await SubmitAsync(buyer, rows: 12, rowsPerUnit: null);
        Assert.All(await UnitsOfAsync(probe), u => Assert.Equal(4, u.RowCount));

        // The probes take 100 ms for four rows: 25 ms a row, so a 3 s unit holds 120 rows.
        using (var device = _market.DeviceClient(await _market.PairedDeviceAsync()))
        {
            while (await MarketplaceBuilder.LeaseAsync(device) is { } lease)
            {
                (await MarketplaceBuilder.UploadAsync(device, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(device, lease),
                    computeMilliseconds: 100)).EnsureSuccessStatusCode();
            }
        }

        var sized = await SubmitAsync(buyer, rows: 1_000, rowsPerUnit: null);
        var chosen = await SubmitAsync(buyer, rows: 1_000, rowsPerUnit: 10);

        var units = await UnitsOfAsync(sized);
        Assert.Equal(120, units.Max(u => u.RowCount));
        Assert.Equal(9, units.Count);
        Assert.Equal(1_000, units.Sum(u => u.RowCount));
        Assert.Equal(100, (await UnitsOfAsync(chosen)).Count);
    }

    private Task<Guid> SubmitAsync(TestUser buyer, int rows, int? rowsPerUnit) =>
        _app.InScopeAsync(services => services.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Sized", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(ReferenceModel.SampleInputs(rows)), rowsPerUnit,
                Verification: VerificationPolicy.Unchecked)));

    private Task<List<WorkUnit>> UnitsOfAsync(Guid jobId) =>
        _app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync());
}
