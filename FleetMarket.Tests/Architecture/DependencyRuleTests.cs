using ArchUnitNET.Domain;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using DomainMoney = FleetMarket.Domain.Money.Money;

namespace FleetMarket.Tests.Architecture;

/// <summary>
/// The rules of docs/architecture.md, checked on the compiled code (every reference a type makes, not only its
/// using directives), so that the picture a newcomer reads stays true.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly System.Reflection.Assembly Web = typeof(Program).Assembly;
    private static readonly System.Reflection.Assembly Domain = typeof(DomainMoney).Assembly;
    private static readonly System.Reflection.Assembly Worker = typeof(WorkerApiClient).Assembly;
    private static readonly System.Reflection.Assembly Protocol = typeof(WorkerRoutes).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Code =
        new ArchLoader().LoadAssemblies(Web, Domain, Worker, Protocol).Build();

    [Fact]
    public void No_capability_depends_on_Hosting()
    {
        Types().That().ResideInNamespaceMatching(@"^FleetMarket\.Web\.(Features|Data|Blobs|Csv|Marketplace|Telemetry)(\..*)?$")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^FleetMarket\.Web\.Hosting$"))
            .Check(Code);
    }

    [Fact]
    public void Web_namespaces_are_free_of_cycles()
    {
        SliceRuleDefinition.Slices().Matching("FleetMarket.Web.(**)").Should().BeFreeOfCycles().Check(Code);
    }

    [Fact]
    public void Domain_depends_on_no_framework()
    {
        // Only the base class library and the wire protocol's shared limits: no ASP.NET Core, EF Core, Hangfire or Stripe.
        Assert.All(Domain.GetReferencedAssemblies(), reference => Assert.True(
            IsBaseClassLibrary(reference) || reference.Name == Protocol.GetName().Name,
            $"FleetMarket.Domain references {reference.Name}."));
    }

    [Fact]
    public void Worker_references_only_the_protocol_of_FleetMarket()
    {
        var ours = Worker.GetReferencedAssemblies().Select(a => a.Name).Where(name => name!.StartsWith("FleetMarket.", StringComparison.Ordinal));
        Assert.Equal([Protocol.GetName().Name], ours);
    }

    private static bool IsBaseClassLibrary(System.Reflection.AssemblyName reference) =>
        reference.Name is "netstandard" or "mscorlib" || reference.Name!.StartsWith("System.", StringComparison.Ordinal)
        || reference.Name == "System";
}
