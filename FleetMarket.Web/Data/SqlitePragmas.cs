using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetMarket.Web.Data;

/// <summary>
/// Per-connection SQLite settings: wait inside SQLite for a busy lock (Microsoft.Data.Sqlite's own retry
/// sleeps 150 ms at a time), and sync the WAL at checkpoints rather than every commit. With WAL, NORMAL
/// loses nothing when the process dies; only a power cut can lose the last commits, never the file.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
