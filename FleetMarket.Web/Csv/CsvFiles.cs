using CsvHelper;
using FleetMarket.Domain.Money;

namespace FleetMarket.Web.Csv;

/// <summary>
/// What every CSV file of the portal shares, for finance staff, owners and buyers alike: formats, exact amounts and
/// a writer that CsvHelper streams to the response one row at a time.
/// </summary>
public static class CsvFiles
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimeFormat = "yyyy-MM-dd HH:mm:sszzz";

    /// <summary>
    /// Text that starts like a formula gets a leading apostrophe, so a spreadsheet shows it instead of running it
    /// (emails, notes and job names are typed by people). Amounts are numbers, which CsvHelper leaves alone.
    /// A byte order mark makes Excel read the file as UTF-8.
    /// </summary>
    public static CsvWriterOptions Options { get; } = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    /// <summary>
    /// An amount in its currency's major unit, an exact decimal with the currency's decimals: USD -12.05 for -1205 cents,
    /// 12.00 for 1200; JPY 1200 for 1200 yen.
    /// </summary>
    public static decimal Amount(Money amount) => amount.ToMajor();

    /// <summary>Rows as CSV, with the <see cref="Options"/> every export of the portal uses.</summary>
    public static async Task WriteAsync<T>(Stream destination, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await csv.WriteRecordsAsync(rows, cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }
}
