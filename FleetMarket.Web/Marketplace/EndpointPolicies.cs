namespace FleetMarket.Web.Marketplace;

/// <summary>
/// The names capabilities put on their endpoints, so that they need not know how Hosting defines them: Hosting
/// registers a policy under each name, capabilities only refer to it.
/// </summary>
public static class EndpointPolicies
{
    /// <summary>Authorization: a buyer, signed in to the portal or calling with one of their API keys.</summary>
    public const string BuyerApi = "BuyerApi";

    /// <summary>Rate limit of pairing attempts, per address.</summary>
    public const string PairingRateLimit = "pairing";

    /// <summary>Rate limit of sign-in attempts, per address.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>Rate limit of the buyer API, per buyer.</summary>
    public const string BuyerApiRateLimit = "buyer-api";
}
