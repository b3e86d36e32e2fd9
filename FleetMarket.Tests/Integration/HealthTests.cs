using FleetMarket.Tests.Builders;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class HealthTests(FleetApp app) : IClassFixture<FleetApp>
{
    [Fact]
    public async Task Health_DatabaseAndHangfireReachable_ReportsHealthy()
    {
        using var client = app.NewClient();

        var body = await client.GetStringAsync("/health");

        Assert.Equal("Healthy", body);
    }
}
