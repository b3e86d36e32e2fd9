using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FleetMarket.Tests.Integration;

/// <summary>Usage recorded before metering in micros is migrated, not discarded: its charges stand and start the running totals.</summary>
public sealed class MeteringMigrationTests : IAsyncLifetime
{
    private static readonly string Job = Guid.NewGuid().ToString().ToUpperInvariant();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fleetmarket-migration-{Guid.NewGuid():N}.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        File.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MeteringInMicros_ExistingUsage_KeepsItsChargesExactly_AndEachJobAndOwnersTotalStartsFromThem()
    {
        var options = new DbContextOptionsBuilder<SqliteFleetDbContext>().UseSqlite($"Data Source={_path};Pooling=False").Options;
        await using var db = new SqliteFleetDbContext(options);
        await db.Database.OpenConnectionAsync();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("LeaseRenewal");

        // Three whole-cent records of one job: two of one owner, one of another. The job and units they name are not
        // needed for this: the foreign keys are off on this connection.
        await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF;");
        foreach (var (owner, charge) in new[] { ("owner-a", 3L), ("owner-a", 4L), ("owner-b", 5L) })
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO UsageRecords (Id, WorkUnitId, JobId, BuyerId, DeviceId, OwnerId, ComputeMilliseconds, InferenceCount,
                                          PricePerHourMinor, ChargeMinor, FeeMinor, Currency, RecordedAt)
                VALUES ({0}, {1}, {2}, 'buyer', {3}, {4}, 60000, 4, 300, {5}, 0, 'USD', 0)
                """, Guid.NewGuid().ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), Job,
                Guid.NewGuid().ToString().ToUpperInvariant(), owner, charge);
        }

        await migrator.MigrateAsync();

        var usage = await db.UsageRecords.AsNoTracking().Select(u => new { u.ChargeMinor, u.ChargeMicros }).ToListAsync();
        Assert.All(usage, u => Assert.Equal(u.ChargeMinor * 1_000_000, u.ChargeMicros));
        var totals = await db.Meterings.AsNoTracking().ToDictionaryAsync(m => m.OwnerId, m => (m.JobId, m.ChargeMicros));
        Assert.Equal((Guid.Parse(Job), 7_000_000L), totals["owner-a"]);
        Assert.Equal((Guid.Parse(Job), 5_000_000L), totals["owner-b"]);
    }
}
