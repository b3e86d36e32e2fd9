using CsvHelper;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Csv;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Finance;

/// <summary>
/// A payout as the finance export writes it. <c>AmountMinor</c> is the exact integer; <c>Amount</c> is the same value
/// in the major unit with the currency's decimals for spreadsheets, computed in <see cref="decimal"/> (never floating point).
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
    [property: CsvFormat(CsvFiles.DateFormat)] DateOnly RunDate,
    [property: CsvFormat(CsvFiles.DateFormat)] DateOnly PayBy,
    PayoutAnomalies Anomalies,
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset CreatedAt,
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset? ReviewedAt,
    string? ReviewedBy,
    string? ReviewNote,
    string? TransferId,
    bool Simulated,
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset? PaidAt,
    string? FailureReason);

/// <summary>One leg of a ledger transaction, with the transaction's time, key and cause.</summary>
[CsvRecord]
public sealed partial record PostingCsvRow(
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset At,
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
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset RecordedAt,
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
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset? SettledAt,
    [property: CsvFormat(CsvFiles.TimeFormat)] DateTimeOffset? ReversedAt);

/// <summary>
/// The CSV files finance staff download, written straight to the response while the database streams the rows, so an
/// export of any size holds one row at a time.
/// </summary>
public sealed class CsvExports(FleetDbContext db)
{
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
                CsvFiles.Amount(new Money(x.Payout.AmountMinor, x.Payout.Currency)), x.Payout.Currency, x.Payout.RunDate, x.Payout.PayBy, x.Payout.Anomalies, x.Payout.CreatedAt,
                x.Payout.ReviewedAt, x.Payout.ReviewedBy, x.Payout.ReviewNote, x.Payout.TransferId, x.Payout.Simulated, x.Payout.PaidAt,
                x.Payout.FailureReason))
            .AsAsyncEnumerable();
        await CsvFiles.WriteAsync(destination, rows, cancellationToken);
    }

    /// <summary>Every posting of transactions made on days <paramref name="from"/> to <paramref name="to"/> (UTC, inclusive).</summary>
    public async Task WritePostingsAsync(Stream destination, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (start, end) = (StartOf(from), StartOf(to.AddDays(1)));
        var rows = db.LedgerTransactions.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end)
            .Join(db.Postings, t => t.Id, p => p.TransactionId, (t, p) => new { Transaction = t, Posting = p })
            .OrderBy(x => x.Transaction.CreatedAt).ThenBy(x => x.Transaction.Id).ThenBy(x => x.Posting.Account)
            .Select(x => new PostingCsvRow(x.Transaction.CreatedAt, x.Transaction.Id, x.Transaction.IdempotencyKey, x.Transaction.Cause,
                x.Posting.Account, x.Posting.AmountMinor, CsvFiles.Amount(new Money(x.Posting.AmountMinor, x.Posting.Currency)), x.Posting.Currency))
            .AsAsyncEnumerable();
        await CsvFiles.WriteAsync(destination, rows, cancellationToken);
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
        await CsvFiles.WriteAsync(destination, rows, cancellationToken);
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
