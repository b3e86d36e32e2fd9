using Microsoft.Data.SqlClient;

namespace FleetMarket.Tests.Builders;

/// <summary>The databases a <see cref="ProviderTheoryAttribute"/> runs its test body on.</summary>
public enum TestDatabase
{
    /// <summary>SQLite files in the app's temporary data folder: always.</summary>
    Sqlite,

    /// <summary>A fresh database on the server that <see cref="TestDatabases.Variable"/> names: only when it is set.</summary>
    SqlServer,
}

public static class TestDatabases
{
    /// <summary>The environment variable holding a connection string to a SQL Server the tests may create databases on.</summary>
    public const string Variable = "FLEETMARKET_TEST_SQLSERVER";

    public const string SqlServerSkipReason =
        Variable + " is not set: SQL Server cases skipped (see README: Testing on SQL Server)";

    /// <summary>The server's connection string, or null when SQL Server cases are to be skipped.</summary>
    public static string? SqlServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString ? connectionString : null;
}

/// <summary>
/// A database of its own on the test server for one app: created before the app starts (the app migrates it) and
/// dropped when the app is disposed.
/// </summary>
internal sealed class SqlServerTestDatabase
{
    private readonly string _server;
    private readonly string _name = $"fleetmarket_test_{Guid.NewGuid():N}";

    private SqlServerTestDatabase(string server) => _server = server;

    /// <summary>The connection string the app uses: the server's, on this database.</summary>
    public string ConnectionString => new SqlConnectionStringBuilder(_server) { InitialCatalog = _name }.ConnectionString;

    public static SqlServerTestDatabase Create()
    {
        var server = TestDatabases.SqlServerConnectionString
                     ?? throw new InvalidOperationException(TestDatabases.SqlServerSkipReason);
        var database = new SqlServerTestDatabase(server);
        database.Execute($"CREATE DATABASE [{database._name}];");
        return database;
    }

    public void Drop()
    {
        SqlConnection.ClearAllPools();
        Execute($"""
            IF DB_ID(N'{_name}') IS NOT NULL
            BEGIN
                ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
                DROP DATABASE [{_name}];
            END
            """);
    }

    /// <summary>Runs <paramref name="sql"/> on the server's master database (whatever database the variable names).</summary>
    private void Execute(string sql)
    {
        using var connection = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        command.ExecuteNonQuery();
    }
}
