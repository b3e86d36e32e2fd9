using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.WorkerProtocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>Issue 13: one device's bad presence report must not stop "last seen" for the others flushed with it.</summary>
[Collection(AppCollection.Name)]
public sealed class PresenceFlushTests(FleetApp app) : IClassFixture<FleetApp>
{
    [Fact]
    public async Task Flush_WithOneReportTooLongForItsColumn_RecordsTheOthers_AndNotTheBadValue()
    {
        var market = new MarketplaceBuilder(app);
        var bad = await market.PairedDeviceAsync();
        var good = await market.PairedDeviceAsync();
        var presence = app.Services.GetRequiredService<DevicePresence>();

        // Past the edge's validation only by a bug or an older node: the flush must hold either way.
        presence.Report(bad.DeviceId, new PresenceReport(DateTimeOffset.UtcNow, new string('x', 100_000)));
        presence.Report(good.DeviceId, new PresenceReport(DateTimeOffset.UtcNow, "CUDA"));

        await Eventually.TrueAsync(() => app.QueryAsync(db => db.Devices.AnyAsync(d => d.Id == good.DeviceId && d.LastSeenAt != null)),
            TimeSpan.FromSeconds(20), "the good device's presence to be flushed");
        var stored = await app.QueryAsync(db => db.Devices.Where(d => d.Id == bad.DeviceId).Select(d => d.ExecutionProvider).SingleAsync());
        Assert.True(stored is null || stored.Length <= 40, $"The bad report was stored: {stored?.Length} characters.");
    }
}
