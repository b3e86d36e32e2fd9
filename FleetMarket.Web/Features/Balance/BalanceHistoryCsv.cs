using CsvHelper;
using FleetMarket.Web.Csv;
using FleetMarket.Web.Features.Finance;

namespace FleetMarket.Web.Features.Balance;

/// <summary>
/// A movement of a buyer's balance as the history export writes it: its effect on the available balance and on what
/// is held in escrow, in exact minor units and as amounts; a job's usage line also names the job, its units and what
/// its compute cost exactly, in millionths of a minor unit.
/// </summary>
[CsvRecord]
public sealed partial record BalanceHistoryCsvRow(
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset At,
    string What,
    long AvailableMinor,
    decimal Available,
    long HeldMinor,
    decimal Held,
    string Currency,
    Guid? JobId,
    int? Units,
    long? ExactMicros)
{
    public static BalanceHistoryCsvRow From(BalanceMovement movement) => new(movement.At.ToUniversalTime(), movement.Cause,
        movement.Available.Minor, CsvFiles.Amount(movement.Available), movement.Held.Minor, CsvFiles.Amount(movement.Held),
        movement.Available.Currency, movement.Usage?.JobId, movement.Usage?.Units, movement.Usage?.ChargeMicros);
}
