namespace FleetMarket.Web.Hosting;

/// <summary>From configuration section "Https".</summary>
public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>
    /// Outside Development, redirect plain HTTP to HTTPS and send HSTS (on HTTPS responses only, and never for
    /// localhost). True by default; set false only where nothing in front terminates TLS, such as a local
    /// compose stack on http: a browser that once saw HSTS for a host refuses plain HTTP to it for a year.
    /// </summary>
    public bool Enforce { get; set; } = true;
}
