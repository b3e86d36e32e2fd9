using System.Reflection;
using FleetMarket.Web.Components;
using Microsoft.AspNetCore.Components;

namespace FleetMarket.Tests.Architecture;

/// <summary>
/// Every page of an area (Pages/Owner, Pages/Buyer…) names the capability whose folder holds the rest of its code, and
/// that folder exists. The site's own pages at Pages/ itself (errors, not found) belong to no capability.
/// </summary>
public sealed class PageCapabilityTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;
    private const string SitePages = "FleetMarket.Web.Components.Pages";

    public static TheoryData<string> Pages() =>
        [.. Web.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && t.Namespace != SitePages).Select(t => t.FullName!).Order()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void A_page_names_an_existing_capability(string page)
    {
        var capability = Web.GetType(page)!.GetCustomAttribute<CapabilityAttribute>();

        Assert.True(capability is not null, $"{page} has no [Capability]: add @attribute [Capability(\"...\")] naming its folder under Features/.");
        var folder = $"FleetMarket.Web.Features.{capability.Name}";
        Assert.True(Web.GetTypes().Any(t => t.Namespace == folder), $"{page} names the capability {capability.Name}, but {folder} has no types.");
    }
}
