using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Web.Components.Shared;

/// <summary>MudForm validation that says, beside the field, what the domain would refuse on saving.</summary>
public static class FormRules
{
    public static string? PlainLine(string? value) =>
        value is null || PlainText.Is(value) ? null : "Use one line of printable text, without control characters.";
}
