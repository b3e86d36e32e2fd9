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
    public async Task Submit_ModelNeverRun_ProbesOneSmallUnit_ThenCutsTheRestToTheTargetTime_AndOutputsStayInInputOrder()
    {
        var buyer = await _market.BuyerWithBalanceAsync(1_000_00);
        var jobId = await SubmitAsync(buyer, rows: 1_000, rowsPerUnit: null);
        var submitted = await UnitsOfAsync(jobId);
        Assert.Equal([(4, WorkUnitStatus.Queued), (996, WorkUnitStatus.Waiting)],
            submitted.OrderBy(u => u.Index).Select(u => (u.RowCount, u.Status)));

        // Only the probe is offered; it takes 100 ms for four rows: 25 ms a row, so a 3 s unit holds 120 rows.
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync());
        var probe = await MarketplaceBuilder.LeaseAsync(device);
        Assert.NotNull(probe);
        Assert.Equal(4, probe.RowCount);
        Assert.Null(await MarketplaceBuilder.LeaseAsync(device));
        (await MarketplaceBuilder.UploadAsync(device, probe.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(device, probe),
            computeMilliseconds: 100)).EnsureSuccessStatusCode();

        // Cut by the time the completion is answered: the device's next lease finds the rest.
        var cut = (await UnitsOfAsync(jobId)).OrderBy(u => u.Index).ToList();
        Assert.DoesNotContain(cut, u => u.Status == WorkUnitStatus.Waiting);
        Assert.Equal([4, 120, 120, 120, 120, 120, 120, 120, 120, 36], cut.Select(u => u.RowCount));
        Assert.Equal(Enumerable.Range(0, 10), cut.Select(u => u.Index));
        Assert.Equal(cut.Select(u => u.RowStart), cut.Select(u => u.RowStart).Order());
        await MarketplaceBuilder.CompleteAllOfferedAsync(device);

        await Eventually.TrueAsync(() => _app.QueryAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Completed)),
            TimeSpan.FromSeconds(30), "the job to complete");
        var outputs = await _app.InScopeAsync(async services =>
        {
            var output = await services.GetRequiredService<JobService>().OpenOutputAsync(buyer.Id, jobId);
            await using var content = output.Content;
            return Npy.Read(content);
        });
        Assert.Equal(ReferenceModel.Compute(ReferenceModel.SampleInputs(1_000)).ToFloats(), outputs.ToFloats());
    }

    [Fact]
    public async Task Submit_ModelAlreadyRun_SizesUnitsToTheTargetTime_UnlessTheBuyerChoseASize()
    {
        var buyer = await _market.BuyerWithBalanceAsync(1_000_00);
        var probe = await SubmitAsync(buyer, rows: 4, rowsPerUnit: null);
        Assert.Equal(4, Assert.Single(await UnitsOfAsync(probe)).RowCount);
        using (var device = _market.DeviceClient(await _market.PairedDeviceAsync()))
        {
            var lease = await MarketplaceBuilder.LeaseAsync(device);
            (await MarketplaceBuilder.UploadAsync(device, lease!.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(device, lease),
                computeMilliseconds: 100)).EnsureSuccessStatusCode();
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
