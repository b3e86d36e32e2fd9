using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Validation;

/// <summary>Adds the domain's <c>PlainText.Require</c> to the protocol's <see cref="PlainText"/>: it throws <see cref="DomainException"/>.</summary>
public static class PlainTextRequirement
{
    extension(PlainText)
    {
        /// <summary>
        /// The domain's own check for text that reaches it without passing an HTTP edge (the portal's forms):
        /// trimmed, present when <paramref name="required"/>, at most <paramref name="maxLength"/> characters, one plain line.
        /// </summary>
        public static string Require(string? value, string what, int maxLength, bool required = true)
        {
            var text = value?.Trim() ?? "";
            if (required && text.Length == 0)
            {
                throw new DomainException($"{what} is required.");
            }

            if (text.Length > maxLength)
            {
                throw new DomainException($"{what} can be at most {maxLength:N0} characters.");
            }

            return PlainText.Is(text) ? text : throw new DomainException($"{what} must be one line of printable text, without control characters.");
        }
    }
}
