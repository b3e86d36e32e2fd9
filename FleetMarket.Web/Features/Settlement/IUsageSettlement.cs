using System.Data.Common;
using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// Settles usage records inside the database, a batch at a time: one database transaction marks the records settled
/// and writes one ledger transaction per job and owner in the batch, with INSERT … SELECT. Loaded through EF Core they settled at
/// 3,000–4,000 a second; this settles about 50,000 a second on SQLite (docs/benchmarks.md). Each provider has its
/// own SQL, which writes exactly what <see cref="Domain.Settlement.SettlementEntries.SettleUsage"/> builds: the same
/// key, cause, accounts and amounts (UsageSettlementTests hold the two to each other).
/// </summary>
public interface IUsageSettlement
{
    /// <summary>
    /// Marks up to <paramref name="batchSize"/> unsettled usage records settled and posts them per job and owner, under
    /// the key <c>usage:{id}</c> of each group's first record, in one database transaction. A record whose own key is
    /// already in the ledger (settled alone by an older version) is marked, not posted again; the unique index on the
    /// key stops any second posting that gets past that check.
    /// </summary>
    Task<UsageBatch> SettleBatchAsync(int batchSize, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What one batch did: the records it marked settled, and the number and totals of those it settled into the ledger.</summary>
public sealed record UsageBatch(int Marked, int Posted, long ChargedMinor, long FeesMinor, DateTimeOffset? From, DateTimeOffset? To);

internal static class UsageSettlementModel
{
    /// <summary>
    /// How the provider stores a DateTimeOffset, from the model itself (SQLite: a 64-bit number, see
    /// <see cref="SqliteFleetDbContext"/>), so the values SQL writes and reads are the ones EF Core writes and reads.
    /// </summary>
    public static ValueConverter? TimeConverter(FleetDbContext db) =>
        db.Model.FindEntityType(typeof(UsageRecord))!.FindProperty(nameof(UsageRecord.RecordedAt))!.GetTypeMapping().Converter;

    public static object ToProvider(this ValueConverter? converter, DateTimeOffset value) =>
        converter is null ? value : converter.ConvertToProvider(value)!;

    public static DateTimeOffset? FromProvider(this ValueConverter? converter, object value) =>
        value is DBNull ? null : (DateTimeOffset)(converter is null ? value : converter.ConvertFromProvider(value)!);

    /// <summary>A command on the context's connection, in its current transaction.</summary>
    public static DbCommand Command(this FleetDbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
