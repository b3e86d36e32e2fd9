namespace FleetMarket.Web.Components;

/// <summary>
/// The capability a page belongs to: the folder under Features/ that holds its services, rules and tests. Pages stay
/// under Pages/&lt;area&gt;, grouped by the people who use them; this says where the rest of the page's code lives.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CapabilityAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
