using CsvHelper;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Earnings;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Finance;

/// <summary>
/// A payout as the finance export writes it. <c>AmountMinor</c> is the exact integer; <c>Amount</c> is the same value
/// with two decimal places for spreadsheets, computed in <see cref="decimal"/> (never floating point).
/// </summary>
[CsvRecord]
public sealed partial record PayoutCsvRow(
    Guid Id,
    string OwnerId,
    string OwnerEmail,
    PayoutStatus Status,
    long AmountMinor,
    decimal Amount,
    string Currency,
    [property: CsvFormat(CsvExports.DateFormat)] DateOnly RunDate,
    [property: CsvFormat(CsvExports.DateFormat)] DateOnly PayBy,
    PayoutAnomalies Anomalies,
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset CreatedAt,
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset? ReviewedAt,
    string? ReviewedBy,
    string? ReviewNote,
    string? TransferId,
    bool Simulated,
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset? PaidAt,
    string? FailureReason);

/// <summary>One leg of a ledger transaction, with the transaction's time, key and cause.</summary>
[CsvRecord]
public sealed partial record PostingCsvRow(
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset At,
    Guid TransactionId,
    string Key,
    string Cause,
    string Account,
    long AmountMinor,
    decimal Amount,
    string Currency);

/// <summary>
/// One accepted unit's usage. <c>ChargeMicros</c> is what its compute cost exactly, in millionths of a minor unit;
/// <c>ChargeMinor</c> and <c>FeeMinor</c> are the whole minor units its posting carries: those its job and owner's running
/// total crossed (often 0 or 1 for a small unit). A job's <c>ChargeMinor</c> sums to its exact charge rounded down.
/// </summary>
[CsvRecord]
public sealed partial record UsageCsvRow(
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset RecordedAt,
    Guid Id,
    Guid JobId,
    Guid WorkUnitId,
    Guid DeviceId,
    string OwnerId,
    string BuyerId,
    long ComputeMilliseconds,
    long InferenceCount,
    long PricePerHourMinor,
    long ChargeMicros,
    long ChargeMinor,
    long FeeMinor,
    string Currency,
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset? SettledAt,
    [property: CsvFormat(CsvExports.TimeFormat)] DateTimeOffset? ReversedAt);

/// <summary>
/// A line of an owner's monthly statement; the lease-covered line has a percentage instead of an amount, exact to a
/// hundredth (0.28 for USD 1.40 of a USD 499 payment). A job's line
/// (and the month's charge) also has the exact charge in millionths of a minor unit: a job of many small units is
/// charged in whole minor units rounded down, and this says what its compute cost.
/// </summary>
[CsvRecord]
public sealed partial record StatementCsvLine(string Month, string Item, long? AmountMinor, decimal? Amount, string? Currency, decimal? Percent,
    long? ExactMicros = null);

/// <summary>
/// The CSV files finance staff and owners download, written by CsvHelper straight to the response while the
/// database streams the rows, so an export of any size holds one row at a time.
/// </summary>
public sealed class CsvExports(FleetDbContext db)
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string TimeFormat = "yyyy-MM-dd HH:mm:sszzz";

    /// <summary>
    /// Text that starts like a formula gets a leading apostrophe, so a spreadsheet shows it instead of running it
    /// (emails, notes and job names are typed by people). Amounts are numbers, which CsvHelper leaves alone.
    /// A byte order mark makes Excel read the file as UTF-8.
    /// </summary>
    public static CsvWriterOptions Options { get; } = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    /// <summary>Payouts of run days <paramref name="from"/> to <paramref name="to"/> (inclusive, either open), oldest first.</summary>
    public async Task WritePayoutsAsync(Stream destination, DateOnly? from, DateOnly? to, PayoutStatus? status,
        CancellationToken cancellationToken = default)
    {
        var payouts = db.Payouts.AsNoTracking();
        if (from is { } first)
        {
            payouts = payouts.Where(p => p.RunDate >= first);
        }

        if (to is { } last)
        {
            payouts = payouts.Where(p => p.RunDate <= last);
        }

        if (status is { } wanted)
        {
            payouts = payouts.Where(p => p.Status == wanted);
        }

        var rows = payouts.Join(db.Users, p => p.OwnerId, u => u.Id, (p, u) => new { Payout = p, Email = u.Email ?? u.UserName ?? "" })
            .OrderBy(x => x.Payout.RunDate).ThenBy(x => x.Payout.CreatedAt).ThenBy(x => x.Payout.Id)
            .Select(x => new PayoutCsvRow(x.Payout.Id, x.Payout.OwnerId, x.Email, x.Payout.Status, x.Payout.AmountMinor,
                Amount(x.Payout.AmountMinor), x.Payout.Currency, x.Payout.RunDate, x.Payout.PayBy, x.Payout.Anomalies, x.Payout.CreatedAt,
                x.Payout.ReviewedAt, x.Payout.ReviewedBy, x.Payout.ReviewNote, x.Payout.TransferId, x.Payout.Simulated, x.Payout.PaidAt,
                x.Payout.FailureReason))
            .AsAsyncEnumerable();
        await WriteAsync(destination, rows, cancellationToken);
    }

    /// <summary>Every posting of transactions made on days <paramref name="from"/> to <paramref name="to"/> (UTC, inclusive).</summary>
    public async Task WritePostingsAsync(Stream destination, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (start, end) = (StartOf(from), StartOf(to.AddDays(1)));
        var rows = db.LedgerTransactions.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end)
            .Join(db.Postings, t => t.Id, p => p.TransactionId, (t, p) => new { Transaction = t, Posting = p })
            .OrderBy(x => x.Transaction.CreatedAt).ThenBy(x => x.Transaction.Id).ThenBy(x => x.Posting.Account)
            .Select(x => new PostingCsvRow(x.Transaction.CreatedAt, x.Transaction.Id, x.Transaction.IdempotencyKey, x.Transaction.Cause,
                x.Posting.Account, x.Posting.AmountMinor, Amount(x.Posting.AmountMinor), x.Posting.Currency))
            .AsAsyncEnumerable();
        await WriteAsync(destination, rows, cancellationToken);
    }

    /// <summary>Usage recorded on days <paramref name="from"/> to <paramref name="to"/> (UTC, inclusive), oldest first.</summary>
    public async Task WriteUsageAsync(Stream destination, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (start, end) = (StartOf(from), StartOf(to.AddDays(1)));
        var rows = db.UsageRecords.AsNoTracking().Where(u => u.RecordedAt >= start && u.RecordedAt < end)
            .OrderBy(u => u.RecordedAt).ThenBy(u => u.Id)
            .Select(u => new UsageCsvRow(u.RecordedAt, u.Id, u.JobId, u.WorkUnitId, u.DeviceId, u.OwnerId, u.BuyerId, u.ComputeMilliseconds,
                u.InferenceCount, u.PricePerHourMinor, u.ChargeMicros, u.ChargeMinor, u.FeeMinor, u.Currency, u.SettledAt, u.ReversedAt))
            .AsAsyncEnumerable();
        await WriteAsync(destination, rows, cancellationToken);
    }

    public static async Task WriteStatementAsync(Stream destination, OwnerStatement statement, CancellationToken cancellationToken = default)
    {
        var month = statement.Month.ToString("yyyy-MM");
        StatementCsvLine Line(string item, long minor) => new(month, item, minor, Amount(minor), statement.Currency, null);

        var lines = new List<StatementCsvLine>
        {
            Line($"Charged to buyers for {statement.UsageRecords} accepted work units", statement.ChargedMinor) with { ExactMicros = statement.ChargeMicros },
            Line("Platform fee", -statement.FeesMinor),
            Line("Your earnings", statement.EarnedMinor),
            Line("Work reversed this month", -statement.ReversedMinor),
            Line("Net earnings", statement.NetEarnedMinor),
        };
        lines.AddRange(statement.Payouts.Select(p =>
            Line($"Payout of run {p.RunDate:yyyy-MM-dd}, paid {p.PaidAt:yyyy-MM-dd}{(p.Simulated ? " (simulated)" : "")}", p.AmountMinor)));
        lines.Add(Line("Paid out to you", statement.PaidOutMinor));
        if (statement.Lessor is not null)
        {
            lines.Add(Line($"Lease payment to {statement.Lessor}", statement.CarPaymentMinor));
            lines.Add(new StatementCsvLine(month, "Lease covered by net earnings", null, null, null, statement.CarPaymentCoveredBasisPoints * 0.01m));
        }

        // Then the work behind the charge, one line per job: their amounts add up to the month's charge.
        lines.AddRange(statement.Jobs.Select(job => Line(
            $"Job {job.Reference}: {job.Units} work units, {job.Inferences} inferences, {job.ComputeMilliseconds} ms of compute, charged to buyers",
            job.ChargedMinor) with
        { ExactMicros = job.ChargeMicros }));

        await WriteAsync(destination, lines.ToAsyncEnumerable(), cancellationToken);
    }

    /// <summary>Minor units as an exact decimal with two places (a product keeps the 0.01's scale): -1205 → -12.05, 1200 → 12.00.</summary>
    public static decimal Amount(long minor) => minor * 0.01m;

    /// <summary>Rows as CSV, with the <see cref="Options"/> every export of the portal uses.</summary>
    public static async Task WriteAsync<T>(Stream destination, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await csv.WriteRecordsAsync(rows, cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
