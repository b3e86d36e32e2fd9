namespace FleetMarket.Web.Features.Payments;

/// <summary>Stripe's keys, from configuration (user secrets or environment variables), never from the repository.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    public string? SecretKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's API answers; tests point it at a stub on loopback.</summary>
    public string? ApiBase { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);
}
