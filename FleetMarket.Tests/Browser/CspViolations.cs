using Microsoft.Playwright;

namespace FleetMarket.Tests.Browser;

/// <summary>The Content Security Policy refusals a page logs: a script or style the policy blocks is a page broken for its user.</summary>
public static class CspViolations
{
    /// <summary>Collects the page's refusals from now on, into the list returned.</summary>
    public static IReadOnlyList<string> Watch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }
}
