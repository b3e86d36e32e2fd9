using FleetMarket.Protocol;
using FleetMarket.Worker.Work;

namespace FleetMarket.Tests.Unit.Protocol;

/// <summary>
/// Installed workers are built against the protocol alone: a worker that reached into the domain would ship
/// marketplace rules to devices, and a protocol that referenced our other projects would drag them along.
/// </summary>
public sealed class ProtocolDependencyTests
{
    [Fact]
    public void Worker_ReferencesProtocol_NotDomain()
    {
        var references = ReferencedFleetMarketAssemblies(typeof(WorkCycle).Assembly.GetReferencedAssemblies());

        Assert.Contains("FleetMarket.Protocol", references);
        Assert.DoesNotContain("FleetMarket.Domain", references);
    }

    [Fact]
    public void Protocol_ReferencesNoOtherFleetMarketAssembly() =>
        Assert.Empty(ReferencedFleetMarketAssemblies(typeof(WorkerRoutes).Assembly.GetReferencedAssemblies()));

    private static List<string> ReferencedFleetMarketAssemblies(IEnumerable<System.Reflection.AssemblyName> references) =>
        [.. references.Select(r => r.Name!).Where(name => name.StartsWith("FleetMarket.", StringComparison.Ordinal))];
}
