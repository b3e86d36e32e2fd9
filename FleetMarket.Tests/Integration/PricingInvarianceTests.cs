using FleetMarket.Domain.Pricing;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>A job's price does not depend on how it is split: usage is metered exactly and rounded once per job and owner.</summary>
[Collection(AppCollection.Name)]
public sealed class PricingInvarianceTests : IAsyncLifetime
{
    private readonly FleetApp _app = new();
    private readonly MarketplaceBuilder _market;

    public PricingInvarianceTests() => _market = new MarketplaceBuilder(_app);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SameWork_SplitFourWays_ChargesAndFeesAgreeWithinOneMinorUnit_AndTheLedgerBalances()
    {
        // 200 rows at 1.25 s a row on a 1.20 device-hour: 8.33 cents. In whole cents a unit, one row a unit cost 2.00.
        const int rows = 200;
        const long millisecondsPerRow = 1_250;
        var buyer = await _market.BuyerWithBalanceAsync(1_000_00);
        using var device = _market.DeviceClient(await _market.PairedDeviceAsync(askingPricePerHourMinor: 120));
        var charges = new List<(long Charge, long Fee, long Micros)>();
        foreach (var rowsPerUnit in new[] { 1, 4, 50, 200 })
        {
            var jobId = await _market.SubmitSampleJobAsync(buyer, rows, rowsPerUnit);
            while (await MarketplaceBuilder.LeaseAsync(device) is { } lease)
            {
                (await MarketplaceBuilder.UploadAsync(device, lease.LeaseId, await MarketplaceBuilder.HonestOutputsAsync(device, lease),
                    millisecondsPerRow * lease.RowCount)).EnsureSuccessStatusCode();
            }

            charges.Add(await _app.QueryAsync(db => db.UsageRecords.Where(u => u.JobId == jobId)
                .GroupBy(u => u.JobId)
                .Select(g => new ValueTuple<long, long, long>(g.Sum(u => u.ChargeMinor), g.Sum(u => u.FeeMinor), g.Sum(u => u.ChargeMicros)))
                .SingleAsync()));
        }

        var exactMicros = UsagePricing.ChargeMicros(120, rows * millisecondsPerRow, capMinor: 1_000);
        Assert.All(charges, c =>
        {
            Assert.InRange(c.Micros, exactMicros - rows, exactMicros + rows);
            Assert.Equal(c.Micros / UsagePricing.MicrosPerMinor, c.Charge);
            Assert.Equal(UsagePricing.PlatformFee(c.Charge, 2000), c.Fee);
        });
        Assert.InRange(charges.Max(c => c.Charge) - charges.Min(c => c.Charge), 0, 1);
        Assert.Equal(8, charges[0].Charge);

        await _app.InScopeAsync(s => s.GetRequiredService<SettlementTask>().RunAsync(CancellationToken.None));
        Assert.Equal(0, await _app.QueryAsync(db => db.Postings.SumAsync(p => p.AmountMinor)));
        Assert.False(await _app.QueryAsync(db => db.UsageRecords.AnyAsync(u => u.SettledAt == null)));
    }
}
