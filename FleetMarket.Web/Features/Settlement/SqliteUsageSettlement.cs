using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// settle-usage on SQLite. The batch's transaction starts with BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so
/// it holds the one write lock from its first statement: a run in another process waits for it and then finds these
/// records settled. In this process it queues at the write gate like every writer, so a worker's completion
/// waits for at most one batch instead of backing off until the run is over. Guids are TEXT in the upper-case form
/// EF Core writes and compares; times are the model's 64-bit numbers, converted by the model's own converter.
/// </summary>
internal sealed class SqliteUsageSettlement(FleetDbContext db) : IUsageSettlement
{
    // The oldest unsettled records (the SettledAt index yields them in insertion order), copied aside for the
    // statements below. Taken in that order, marking them settled rewrites neighbouring rows, not pages all over.
    private const string TakeBatch = """
        DROP TABLE IF EXISTS temp.SettleBatch;
        CREATE TEMP TABLE SettleBatch AS
        SELECT rowid AS UsageRow, Id, JobId, BuyerId, OwnerId, ChargeMinor, FeeMinor, Currency, RecordedAt
        FROM UsageRecords WHERE SettledAt IS NULL LIMIT $limit;
        """;

    private const string MarkSettled = "UPDATE UsageRecords SET SettledAt = $now WHERE rowid IN (SELECT UsageRow FROM temp.SettleBatch);";

    // A record already in the ledger under its own key (settled alone, before settlement grouped records) is only
    // marked. The rest are grouped per job and owner; a group that costs nothing posts nothing. Key, cause and
    // accounts as SettlementEntries.SettleUsage and LedgerAccounts write them: C# formats Guids in lower case, and
    // the lower-case form of the smallest upper-case id is the smallest lower-case id (digits sort before letters in
    // both). Legs of zero are left out, as LedgerTransaction.Create leaves them out. Ids: see IdFormat.
    private const string Post = """
        DELETE FROM temp.SettleBatch
        WHERE EXISTS (SELECT 1 FROM LedgerTransactions t WHERE t.IdempotencyKey = 'usage:' || lower(SettleBatch.Id));

        DROP TABLE IF EXISTS temp.SettleGroups;
        CREATE TEMP TABLE SettleGroups AS
        SELECT lower(min(Id)) AS FirstId, lower(JobId) AS JobId, BuyerId, OwnerId, Currency, count(*) AS Units,
               sum(ChargeMinor) AS ChargeMinor, sum(FeeMinor) AS FeeMinor
        FROM temp.SettleBatch GROUP BY JobId, BuyerId, OwnerId, Currency HAVING sum(ChargeMinor) <> 0;

        INSERT INTO LedgerTransactions (Id, IdempotencyKey, Cause, CreatedAt)
        SELECT printf($ids, 0, rowid), 'usage:' || FirstId,
               'Usage of job ' || JobId || ': ' || Units || ' units on devices of owner ' || OwnerId, $now
        FROM temp.SettleGroups;

        INSERT INTO Postings (Id, TransactionId, Account, AmountMinor, Currency)
        SELECT printf($ids, 1, rowid), printf($ids, 0, rowid), 'buyer:' || BuyerId || ':escrow', -ChargeMinor, Currency
        FROM temp.SettleGroups
        UNION ALL
        SELECT printf($ids, 2, rowid), printf($ids, 0, rowid), 'owner:' || OwnerId || ':earnings', ChargeMinor - FeeMinor, Currency
        FROM temp.SettleGroups WHERE ChargeMinor - FeeMinor <> 0
        UNION ALL
        SELECT printf($ids, 3, rowid), printf($ids, 0, rowid), 'platform:fees', FeeMinor, Currency
        FROM temp.SettleGroups WHERE FeeMinor <> 0;
        """;

    private const string Totals = """
        SELECT count(*), coalesce(sum(ChargeMinor), 0), coalesce(sum(FeeMinor), 0), min(RecordedAt), max(RecordedAt)
        FROM temp.SettleBatch;
        """;

    private const string DropBatch = "DROP TABLE temp.SettleBatch; DROP TABLE temp.SettleGroups;";

    // A batch reads and writes tens of megabytes of table and index pages. With SQLite's default page cache of 2 MB
    // (which SqlitePragmas leaves as it is) it rereads many of them from the operating system; 64 MB for the batch
    // made settling 5–10 % faster. Set per batch, so the pool's connections otherwise keep the default.
    private const string LargeCache = "PRAGMA cache_size = -65536;";
    private const string DefaultCache = "PRAGMA cache_size = -2000;";

    public async Task<UsageBatch> SettleBatchAsync(int batchSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var time = UsageSettlementModel.TimeConverter(db);
        var stamp = time.ToProvider(now);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(LargeCache, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(TakeBatch, cancellationToken, ("$limit", batchSize));
            var marked = await ExecuteAsync(MarkSettled, cancellationToken, ("$now", stamp));
            await ExecuteAsync(Post, cancellationToken, ("$now", stamp), ("$ids", IdFormat(now)));

            UsageBatch batch;
            await using (var totals = db.Command(Totals))
            await using (var reader = await totals.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                batch = new UsageBatch(marked, reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2),
                    time.FromProvider(reader.GetValue(3)), time.FromProvider(reader.GetValue(4)));
            }

            await ExecuteAsync(DropBatch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return batch;
        }
        finally
        {
            await ExecuteAsync(DefaultCache, CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A printf format for the batch's ids: the first 80 bits of a version-7 Guid made now (time, then random), then
    /// the leg (0 for the transaction) and the group's row in the batch. Ids that grow with time are appended to the
    /// ledger's indexes instead of being written all over them: with random ids, a prototype of this SQL took about
    /// twice as long. They cannot meet the random (version 4) ids that EF Core's side of the app makes.
    /// </summary>
    private static string IdFormat(DateTimeOffset now) =>
        Guid.CreateVersion7(now).ToString("D").ToUpperInvariant()[..23] + "-%04X%08X";

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = db.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
