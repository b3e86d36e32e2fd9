namespace FleetMarket.Web.Features.Ledger;

/// <summary>
/// A row per ledger account that money is taken from after a balance check. Touching it first in the
/// transaction serialises those checks in the database (a row lock on SQL Server, the write lock on SQLite),
/// so two holds cannot both pass against the same money, on one node or many.
/// </summary>
public sealed class BalanceGuard(string account)
{
    public string Account { get; private set; } = account;
    public long Version { get; private set; }

    /// <summary>Marks the account touched, as a locked hold does; saving it fails if another hold touched it first.</summary>
    public void Touch() => Version++;
}
