using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// settle-usage on SQL Server, one round trip per batch. UPDATE TOP … OUTPUT marks the records settled under row
/// locks and captures them in the same statement, so a batch on another node takes other records, or waits and then
/// finds these settled. UsageSettlementTests run it, in the same test bodies as SQLite's, when
/// FLEETMARKET_TEST_SQLSERVER names a server (README: Testing on SQL Server).
/// </summary>
internal sealed class SqlServerUsageSettlement(FleetDbContext db) : IUsageSettlement
{
    // As on SQLite (SqliteUsageSettlement): records already in the ledger under their own key are only marked, the rest
    // post one transaction per job and owner. Key, cause and accounts as SettlementEntries.SettleUsage and
    // LedgerAccounts write them: C# formats Guids in lower case, SQL Server in upper case; the smallest id is taken as
    // text, the order C# takes it in, not in uniqueidentifier's own order. Legs of zero are left out, as
    // LedgerTransaction.Create leaves them out.
    [SqlServerStatement]
    private const string SettleBatch = """
        SET NOCOUNT ON;
        SET XACT_ABORT ON;
        DECLARE @batch TABLE (
            Id uniqueidentifier NOT NULL PRIMARY KEY,
            JobId uniqueidentifier NOT NULL,
            BuyerId nvarchar(450) NOT NULL,
            OwnerId nvarchar(450) NOT NULL,
            ChargeMinor bigint NOT NULL,
            FeeMinor bigint NOT NULL,
            Currency nchar(3) NOT NULL,
            RecordedAt datetimeoffset NOT NULL);
        DECLARE @groups TABLE (
            TransactionId uniqueidentifier NOT NULL DEFAULT NEWID() PRIMARY KEY,
            FirstId nvarchar(36) NOT NULL,
            JobId uniqueidentifier NOT NULL,
            BuyerId nvarchar(450) NOT NULL,
            OwnerId nvarchar(450) NOT NULL,
            Currency nchar(3) NOT NULL,
            Units int NOT NULL,
            ChargeMinor bigint NOT NULL,
            FeeMinor bigint NOT NULL);

        UPDATE TOP (@limit) UsageRecords SET SettledAt = @now
        OUTPUT inserted.Id, inserted.JobId, inserted.BuyerId, inserted.OwnerId,
               inserted.ChargeMinor, inserted.FeeMinor, inserted.Currency, inserted.RecordedAt
        INTO @batch (Id, JobId, BuyerId, OwnerId, ChargeMinor, FeeMinor, Currency, RecordedAt)
        WHERE SettledAt IS NULL;
        DECLARE @marked int = @@ROWCOUNT;

        DELETE b FROM @batch b
        WHERE EXISTS (SELECT 1 FROM LedgerTransactions t WHERE t.IdempotencyKey = N'usage:' + LOWER(CONVERT(nvarchar(36), b.Id)));

        INSERT INTO @groups (FirstId, JobId, BuyerId, OwnerId, Currency, Units, ChargeMinor, FeeMinor)
        SELECT LOWER(MIN(CONVERT(nvarchar(36), Id))), JobId, BuyerId, OwnerId, Currency, COUNT(*), SUM(ChargeMinor), SUM(FeeMinor)
        FROM @batch GROUP BY JobId, BuyerId, OwnerId, Currency HAVING SUM(ChargeMinor) <> 0;

        INSERT INTO LedgerTransactions (Id, IdempotencyKey, Cause, CreatedAt)
        SELECT TransactionId, N'usage:' + FirstId,
               N'Usage of job ' + LOWER(CONVERT(nvarchar(36), JobId)) + N': ' + CONVERT(nvarchar(11), Units)
               + N' units on devices of owner ' + OwnerId, @now
        FROM @groups;

        INSERT INTO Postings (Id, TransactionId, Account, AmountMinor, Currency)
        SELECT NEWID(), g.TransactionId, leg.Account, leg.AmountMinor, g.Currency
        FROM @groups g
        CROSS APPLY (VALUES
            (N'buyer:' + g.BuyerId + N':escrow', -g.ChargeMinor),
            (N'owner:' + g.OwnerId + N':earnings', g.ChargeMinor - g.FeeMinor),
            (N'platform:fees', g.FeeMinor)) leg (Account, AmountMinor)
        WHERE leg.AmountMinor <> 0;

        SELECT @marked, COUNT(*), COALESCE(SUM(ChargeMinor), 0), COALESCE(SUM(FeeMinor), 0), MIN(RecordedAt), MAX(RecordedAt)
        FROM @batch;
        """;

    public async Task<UsageBatch> SettleBatchAsync(int batchSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var time = UsageSettlementModel.TimeConverter(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        UsageBatch batch;
        await using (var command = db.Command(SettleBatch, ("@limit", batchSize), ("@now", time.ToProvider(now))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            batch = new UsageBatch(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3),
                time.FromProvider(reader.GetValue(4)), time.FromProvider(reader.GetValue(5)));
        }

        await transaction.CommitAsync(cancellationToken);
        return batch;
    }
}
