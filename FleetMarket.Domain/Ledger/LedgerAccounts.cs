namespace FleetMarket.Domain.Ledger;

/// <summary>
/// Ledger account names. A posting's sign is from the account holder's view: positive adds to what the
/// platform owes them. Money entering or leaving the platform passes through the external accounts, so
/// the sum of all postings stays zero.
/// </summary>
public static class LedgerAccounts
{
    public const string ExternalFunding = "external:funding";
    public const string ExternalPayouts = "external:payouts";
    public const string PlatformFees = "platform:fees";

    public static string BuyerBalance(string buyerId) => $"buyer:{buyerId}:balance";
    public static string BuyerEscrow(string buyerId) => $"buyer:{buyerId}:escrow";
    public static string OwnerEarnings(string ownerId) => $"owner:{ownerId}:earnings";
}
