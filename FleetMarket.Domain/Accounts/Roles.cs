namespace FleetMarket.Domain.Accounts;

public static class Roles
{
    public const string Owner = "Owner";
    public const string Buyer = "Buyer";
    public const string Finance = "Finance";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Owner, Buyer, Finance, Admin];

    /// <summary>Roles anyone may register for; Finance and Admin are granted by an admin.</summary>
    public static readonly IReadOnlyList<string> SelfService = [Owner, Buyer];
}
