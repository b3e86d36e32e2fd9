using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.WorkerProtocol;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Bench;

/// <summary>
/// Settles a million usage records into postings and payouts on the real app (SQLite), beside a floor measured in the
/// same run: one INSERT … SELECT of the same postings (same ids, accounts, amounts) into a copy of the Postings table
/// with the same indexes. Too long a run for BenchmarkDotNet's iterations (each needs a million fresh records), so it
/// times a few rounds itself and prints a Markdown table.
/// </summary>
public static class SettlementScale
{
    public const string Usage = """
        dotnet run -c Release --project bench/FleetMarket.Bench -- settle [--records 1000000] [--owners 1000] [--jobs 100] [--rounds 3] [--no-payouts]
        """;

    private const string Uuid = "hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || "
                                + "substr('89AB', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))";

    /// <summary>A version-7 UUID for the given Unix time, as the app makes usage record ids.</summary>
    private static string UuidVersion7(string unixMilliseconds) =>
        $"printf('%08X-%04X-7%03X-%X%03X-%012X', ({unixMilliseconds}) >> 16, ({unixMilliseconds}) & 65535, random() & 4095, "
        + "8 + (random() & 3), random() & 4095, random() & 281474976710655)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var records = Option(args, "--records", 1_000_000);
        var owners = Option(args, "--owners", 1_000);
        var jobs = Option(args, "--jobs", 100);
        var rounds = Option(args, "--rounds", 3);
        var payouts = !args.Contains("--no-payouts");
        var log = Console.Error;

        await using var app = new FleetApp();
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        foreach (var id in new[] { SettlementTask.Id, PayoutRunTask.Id, LeaseSweepTask.Id, ReconcileStripeTask.Id })
        {
            recurring.RemoveIfExists(id);
        }

        var clock = Stopwatch.StartNew();
        await using var seed = await SeedAsync(app, records, owners, jobs);
        log.WriteLine($"seeded {records:N0} usage records of {owners:N0} owners and {jobs:N0} jobs in {clock.Elapsed.TotalSeconds:F0} s");
        await using (var version = seed.CreateCommand())
        {
            version.CommandText = "SELECT sqlite_version()";
            var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";
            log.WriteLine($"SQLite {await version.ExecuteScalarAsync()}, {Environment.ProcessorCount} cores, load average {load}");
        }

        var results = new List<Round>();
        for (var round = 1; round <= rounds; round++)
        {
            await ResetAsync(seed);
            var floor = await TimeAsync(() => FloorAsync(app));
            await ExecuteAsync(seed, "DROP TABLE PostingsFloor; PRAGMA wal_checkpoint(TRUNCATE);");

            var settle = await TimeAsync(() => app.InScopeAsync(s => s.GetRequiredService<SettlementTask>().RunAsync(CancellationToken.None)));
            var paid = payouts
                ? await TimeAsync(() => app.InScopeAsync(s => s.GetRequiredService<PayoutRunTask>().RunAsync(CancellationToken.None)))
                : (Timing?)null;
            await CheckAsync(app, payouts ? owners : 0, balanced: round == rounds);
            results.Add(new Round(floor, settle, paid));
            log.WriteLine($"round {round}: floor {floor}; settle-usage {settle}; build-payouts {paid?.ToString() ?? "not run"}");
        }

        Report(results, records, owners);
        return 0;
    }

    /// <summary>
    /// A buyer, a job and a paired device made through the app; then, by SQL from those rows, the owners, their
    /// devices (one each), the jobs, and for every record a finished work unit and its unsettled usage, recorded 50 ms
    /// apart over the last day. Charges of 5–50 with a fee of a fifth: every job and owner posts three legs.
    /// </summary>
    private static async Task<SqliteConnection> SeedAsync(FleetApp app, int records, int owners, int jobs)
    {
        var market = new MarketplaceBuilder(app);
        var device = await market.PairedDeviceAsync();
        var buyer = await market.BuyerWithBalanceAsync(1_000_00);
        var jobId = await market.SubmitSampleJobAsync(buyer, rows: 1, rowsPerUnit: 1);
        var (connectionString, stamp) = await app.QueryAsync(db => Task.FromResult((db.Database.GetConnectionString()!,
            db.Model.FindEntityType(typeof(UsageRecord))!.FindProperty(nameof(UsageRecord.RecordedAt))!.GetTypeMapping().Converter!)));

        // Seeding and resetting run on a connection of their own, with a large cache, outside the app's pool.
        var connection = new SqliteConnection(connectionString + ";Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA cache_size = -524288; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var from = (long)stamp.ConvertToProvider(start)!;
        var step = (long)stamp.ConvertToProvider(start.AddMilliseconds(50))! - from;

        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE BenchOwners AS
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {owners - 1})
            SELECT i, lower({Uuid}) AS Id, {Uuid} AS DeviceId FROM n;
            CREATE TEMP TABLE BenchJobs AS
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {jobs - 1})
            SELECT i, {Uuid} AS Id FROM n;
            CREATE TEMP TABLE BenchUnits AS
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {records - 1})
            SELECT i, {Uuid} AS Id, {UuidVersion7($"{start.ToUnixTimeMilliseconds()} + n.i * 50")} AS UsageId, (SELECT Id FROM temp.BenchJobs WHERE BenchJobs.i = n.i * {jobs} / {records}) AS JobId,
                   (SELECT DeviceId FROM temp.BenchOwners WHERE BenchOwners.i = n.i % {owners}) AS DeviceId,
                   (SELECT Id FROM temp.BenchOwners WHERE BenchOwners.i = n.i % {owners}) AS OwnerId
            FROM n;
            """);
        await ExecuteAsync(connection, "BEGIN;");
        await CopyAsync(connection, "AspNetUsers", $"FROM temp.BenchOwners o, AspNetUsers t WHERE t.Id = '{device.Owner.Id}'", new()
        {
            ["Id"] = "o.Id",
            ["UserName"] = "'owner-' || o.i || '@bench.test'",
            ["NormalizedUserName"] = "'OWNER-' || o.i || '@BENCH.TEST'",
            ["Email"] = "'owner-' || o.i || '@bench.test'",
            ["NormalizedEmail"] = "'OWNER-' || o.i || '@BENCH.TEST'",
        });
        await ExecuteAsync(connection, $"""
            INSERT INTO AspNetUserRoles (UserId, RoleId) SELECT o.Id, r.Id FROM temp.BenchOwners o, AspNetRoles r WHERE r.Name = '{Roles.Owner}';
            """);
        await CopyAsync(connection, "Devices", $"FROM temp.BenchOwners o, Devices t WHERE t.Id = '{device.DeviceId.ToString().ToUpperInvariant()}'", new()
        {
            ["Id"] = "o.DeviceId",
            ["OwnerId"] = "o.Id",
            ["Name"] = "'Bench car ' || o.i",
            ["CredentialHash"] = "NULL",
            ["PairingCodeHash"] = "NULL",
        });
        await CopyAsync(connection, "Jobs", $"FROM temp.BenchJobs j, Jobs t WHERE t.Id = '{jobId.ToString().ToUpperInvariant()}'", new()
        {
            ["Id"] = "j.Id",
            ["Name"] = "'Bench job ' || j.i",
            ["Status"] = "'Running'",
        });
        await CopyAsync(connection, "WorkUnits", $"FROM temp.BenchUnits u, WorkUnits t WHERE t.JobId = '{jobId.ToString().ToUpperInvariant()}'", new()
        {
            ["Id"] = "u.Id",
            ["JobId"] = "u.JobId",
            ["\"Index\""] = "u.i",
            ["Status"] = "'Done'",
            ["DeviceId"] = "u.DeviceId",
            ["ComputeMilliseconds"] = "1500",
            ["InferenceCount"] = "4",
            ["CompletedAt"] = $"{from} + u.i * {step}",
        });
        await ExecuteAsync(connection, $"""
            INSERT INTO UsageRecords (Id, WorkUnitId, JobId, BuyerId, DeviceId, OwnerId, ComputeMilliseconds, InferenceCount,
                PricePerHourMinor, ChargeMinor, FeeMinor, Currency, RecordedAt)
            SELECT UsageId, Id, JobId, '{buyer.Id}', DeviceId, OwnerId, 1500, 4, 120, 5 + i % 46, (5 + i % 46) / 5, 'USD', {from} + i * {step}
            FROM temp.BenchUnits ORDER BY i;
            COMMIT;
            DROP TABLE temp.BenchUnits;
            PRAGMA wal_checkpoint(TRUNCATE);
            """);
        return connection;
    }

    /// <summary>Back to a million unsettled records: the usage and payout postings, payouts and settlement runs removed.</summary>
    private static Task ResetAsync(SqliteConnection connection) => ExecuteAsync(connection, """
        BEGIN;
        CREATE TEMP TABLE Doomed AS SELECT Id FROM LedgerTransactions
        WHERE substr(IdempotencyKey, 1, 6) = 'usage:' OR substr(IdempotencyKey, 1, 13) = 'payout-claim:';
        DELETE FROM Postings WHERE TransactionId IN (SELECT Id FROM temp.Doomed);
        DELETE FROM LedgerTransactions WHERE Id IN (SELECT Id FROM temp.Doomed);
        DROP TABLE temp.Doomed;
        DELETE FROM Payouts;
        DELETE FROM SettlementRuns;
        UPDATE UsageRecords SET SettledAt = NULL WHERE SettledAt IS NOT NULL;
        COMMIT;
        PRAGMA wal_checkpoint(TRUNCATE);
        """);

    /// <summary>
    /// The same postings as settle-usage writes (one transaction's worth per job and owner in each batch of the records
    /// in the order they were recorded, ids made the same way, the same accounts and amounts), in one statement, on
    /// one of the app's own connections, into a table like Postings: the same columns and indexes, without the foreign
    /// key to a transaction (the floor writes none).
    /// </summary>
    private static Task FloorAsync(FleetApp app) => app.QueryAsync(async db =>
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        // The page cache settle-usage's batches get (see SqliteUsageSettlement), for a like-for-like floor.
        await ExecuteAsync(connection, "PRAGMA cache_size = -65536;");
        await ExecuteAsync(connection, """
            CREATE TABLE PostingsFloor (Id TEXT NOT NULL PRIMARY KEY, TransactionId TEXT NOT NULL, Account TEXT NOT NULL,
                AmountMinor INTEGER NOT NULL, Currency TEXT NOT NULL);
            CREATE INDEX IX_PostingsFloor_Account_Currency ON PostingsFloor (Account, Currency);
            CREATE INDEX IX_PostingsFloor_TransactionId ON PostingsFloor (TransactionId);
            """);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            WITH Groups AS (
                SELECT row_number() OVER () AS GroupRow, BuyerId, OwnerId, Currency, sum(ChargeMinor) AS ChargeMinor, sum(FeeMinor) AS FeeMinor
                FROM (SELECT rowid AS UsageRow, * FROM UsageRecords ORDER BY rowid)
                GROUP BY (UsageRow - 1) / {SettlementTask.BatchSize}, JobId, BuyerId, OwnerId, Currency HAVING sum(ChargeMinor) <> 0)
            INSERT INTO PostingsFloor (Id, TransactionId, Account, AmountMinor, Currency)
            SELECT printf($ids, 1, GroupRow), printf($ids, 0, GroupRow), 'buyer:' || BuyerId || ':escrow', -ChargeMinor, Currency
            FROM Groups
            UNION ALL
            SELECT printf($ids, 2, GroupRow), printf($ids, 0, GroupRow), 'owner:' || OwnerId || ':earnings', ChargeMinor - FeeMinor, Currency
            FROM Groups WHERE ChargeMinor - FeeMinor <> 0
            UNION ALL
            SELECT printf($ids, 3, GroupRow), printf($ids, 0, GroupRow), 'platform:fees', FeeMinor, Currency
            FROM Groups WHERE FeeMinor <> 0;
            """;
        insert.Parameters.Add(new SqliteParameter("$ids", Guid.CreateVersion7().ToString("D").ToUpperInvariant()[..23] + "-%04X%08X"));
        var inserted = await insert.ExecuteNonQueryAsync();
        await ExecuteAsync(connection, "PRAGMA cache_size = -2000;");
        return inserted;
    });

    /// <summary>
    /// Every record settled, the usage postings carrying exactly the records' charges and fees to each owner's earnings
    /// and the platform, one payout per owner, and at the end the whole ledger balancing.
    /// </summary>
    private static async Task CheckAsync(FleetApp app, int payouts, bool balanced)
    {
        var (unsettled, owed, posted, paid) = await app.QueryAsync(async db => (
            await db.UsageRecords.CountAsync(u => u.SettledAt == null),
            await db.UsageRecords.SumAsync(u => u.ChargeMinor - u.FeeMinor),
            await db.Postings.Where(p => p.Account.StartsWith("owner:"))
                .Where(p => db.LedgerTransactions.Any(t => t.Id == p.TransactionId && t.IdempotencyKey.StartsWith("usage:")))
                .SumAsync(p => p.AmountMinor),
            await db.Payouts.CountAsync()));
        if (unsettled != 0 || owed != posted || paid != payouts)
        {
            throw new InvalidOperationException($"Expected every record settled, {owed} owed to owners and {payouts} payouts; found {unsettled} "
                                                + $"unsettled, {posted} posted to owners, {paid} payouts.");
        }

        if (balanced && !(await app.InScopeAsync(s => s.GetRequiredService<LedgerService>().CheckAsync())).Balanced)
        {
            throw new InvalidOperationException("The ledger does not balance.");
        }
    }

    private static void Report(List<Round> results, int records, int owners)
    {
        var floor = results.Average(r => r.Floor.Wall);
        Console.WriteLine($"{records:N0} usage records of {owners:N0} owners; {results.Count} rounds; seconds of wall time and of this process's CPU");
        Console.WriteLine();
        Console.WriteLine("| step | wall, mean | wall, each round | CPU, each round | written, mean | records/s | ratio to floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("floor: one INSERT … SELECT of the same postings", results.Select(r => r.Floor).ToList());
        Row("settle-usage", results.Select(r => r.Settle).ToList());
        if (results.All(r => r.Payouts is not null))
        {
            Row("build-payouts", results.Select(r => r.Payouts!.Value).ToList());
            Row("settle-usage + build-payouts", results.Select(r => r.Settle + r.Payouts!.Value).ToList());
        }

        void Row(string step, List<Timing> timings)
        {
            static string Each(IEnumerable<double> values) => string.Join(" / ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
            var wall = timings.Average(t => t.Wall);
            Console.WriteLine($"| {step} | {wall:F1} s | {Each(timings.Select(t => t.Wall))} | {Each(timings.Select(t => t.Cpu))} | "
                              + $"{timings.Average(t => t.WrittenMegabytes):N0} MB | {records / wall:N0} | {wall / floor:F2} |");
        }
    }

    private sealed record Round(Timing Floor, Timing Settle, Timing? Payouts);

    private readonly record struct Timing(double Wall, double Cpu, double WrittenMegabytes)
    {
        public static Timing operator +(Timing left, Timing right) =>
            new(left.Wall + right.Wall, left.Cpu + right.Cpu, left.WrittenMegabytes + right.WrittenMegabytes);

        public override string ToString() => $"{Wall:F1} s (CPU {Cpu:F1} s, {WrittenMegabytes:N0} MB written)";
    }

    /// <summary>What this process has sent to storage (Linux): the WAL, and the database at checkpoints.</summary>
    private static long WrittenBytes() => File.Exists("/proc/self/io")
        ? long.Parse(File.ReadLines("/proc/self/io").First(l => l.StartsWith("write_bytes:", StringComparison.Ordinal))["write_bytes:".Length..],
            CultureInfo.InvariantCulture)
        : 0;

    private static async Task<Timing> TimeAsync(Func<Task> action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var written = WrittenBytes();
        var wall = Stopwatch.StartNew();
        await action();
        process.Refresh();
        return new Timing(wall.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, (WrittenBytes() - written) / 1e6);
    }

    /// <summary>INSERT INTO table SELECT …: every column copied from the template row t, except those given.</summary>
    private static async Task CopyAsync(SqliteConnection connection, string table, string from, Dictionary<string, string> overrides)
    {
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add($"\"{reader.GetString(0)}\"");
            }
        }

        var values = columns.Select(c => overrides.GetValueOrDefault(c) ?? overrides.GetValueOrDefault(c.Trim('"')) ?? $"t.{c}");
        await ExecuteAsync(connection, $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} {from};");
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
