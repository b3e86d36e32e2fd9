namespace FleetMarket.Domain.Ledger;

/// <summary>
/// Ledger account names. A posting's sign is from the account holder's view: positive adds to what the
/// platform owes them. Money entering or leaving the platform passes through the external accounts, so
/// the sum of all postings stays zero. settle-usage's SQL builds the escrow, earnings and fee names too
/// (FleetMarket.Web's IUsageSettlement): change both together.
/// </summary>
public static class LedgerAccounts
{
    /// <summary>Simulated money in and out, for the embedded demo without Stripe keys.</summary>
    public const string ExternalFunding = "external:funding";
    public const string ExternalPayouts = "external:payouts";

    /// <summary>The platform's Stripe balance: card top-ups arrive in it, Connect transfers leave from it.</summary>
    public const string StripeClearing = "stripe:clearing";
    public const string PlatformFees = "platform:fees";

    public static string BuyerBalance(string buyerId) => $"buyer:{buyerId}:balance";
    public static string BuyerEscrow(string buyerId) => $"buyer:{buyerId}:escrow";

    /// <summary>What an owner has earned and no payout has claimed yet; it may go negative after a reversal.</summary>
    public static string OwnerEarnings(string ownerId) => $"owner:{ownerId}:earnings";

    /// <summary>What payouts under review or on their way owe an owner.</summary>
    public static string OwnerPayable(string ownerId) => $"owner:{ownerId}:payable";
}
