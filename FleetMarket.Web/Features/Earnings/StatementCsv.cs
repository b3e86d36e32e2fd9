using CsvHelper;
using FleetMarket.Domain.Money;
using FleetMarket.Web.Csv;

namespace FleetMarket.Web.Features.Earnings;

/// <summary>
/// A line of an owner's monthly statement; the lease-covered line has a percentage instead of an amount, exact to a
/// hundredth (0.28 for USD 1.40 of a USD 499 payment). A job's line
/// (and the month's charge) also has the exact charge in millionths of a minor unit: a job of many small units is
/// charged in whole minor units rounded down, and this says what its compute cost.
/// </summary>
[CsvRecord]
public sealed partial record StatementCsvLine(string Month, string Item, long? AmountMinor, decimal? Amount, string? Currency, decimal? Percent,
    long? ExactMicros = null);

/// <summary>An owner's monthly statement as the CSV file they download.</summary>
public static class StatementCsv
{
    public static async Task WriteAsync(Stream destination, OwnerStatement statement, CancellationToken cancellationToken = default)
    {
        var month = statement.Month.ToString("yyyy-MM");
        StatementCsvLine Line(string item, Money amount) => new(month, item, amount.Minor, CsvFiles.Amount(amount), amount.Currency, null);

        var lines = new List<StatementCsvLine>
        {
            Line($"Charged to buyers for {statement.UsageRecords} accepted work units", statement.Charged) with { ExactMicros = statement.ChargeMicros },
            Line("Platform fee", -statement.Fees),
            Line("Your earnings", statement.Earned),
            Line("Work reversed this month", -statement.Reversed),
            Line("Net earnings", statement.NetEarned),
        };
        lines.AddRange(statement.Payouts.Select(p =>
            Line($"Payout of run {p.RunDate:yyyy-MM-dd}, paid {p.PaidAt:yyyy-MM-dd}{(p.Simulated ? " (simulated)" : "")}", p.Amount)));
        lines.Add(Line("Paid out to you", statement.PaidOut));
        if (statement.Lessor is not null)
        {
            lines.Add(Line($"Lease payment to {statement.Lessor}", statement.CarPayment));
            lines.Add(new StatementCsvLine(month, "Lease covered by net earnings", null, null, null, statement.CarPaymentCoveredBasisPoints * 0.01m));
        }

        // Then the work behind the charge, one line per job: their amounts add up to the month's charge.
        lines.AddRange(statement.Jobs.Select(job => Line(
            $"Job {job.Reference}: {job.Units} work units, {job.Inferences} inferences, {job.ComputeMilliseconds} ms of compute, charged to buyers",
            job.Charged) with
        { ExactMicros = job.ChargeMicros }));

        await CsvFiles.WriteAsync(destination, lines.ToAsyncEnumerable(), cancellationToken);
    }
}
