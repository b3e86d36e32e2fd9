using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Which store holds the marketplace and Hangfire; SQLite files in the data folder unless told otherwise.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The provider configuration names, read while services are registered (before options can be resolved), with the
    /// same default as <see cref="Provider"/>.
    /// </summary>
    public static DatabaseProvider ProviderIn(IConfiguration configuration) =>
        configuration.GetValue(Section + ":" + nameof(Provider), DatabaseProvider.Sqlite);

    /// <summary>Folder for the SQLite files and blobs, relative to the content root unless absolute.</summary>
    [Required]
    public string DataPath { get; set; } = "App_Data";

    /// <summary>SQL Server connection string; required when <see cref="Provider"/> is SqlServer.</summary>
    public string? SqlServerConnectionString { get; set; }

    /// <summary>Apply pending migrations at start. On by default so `dotnet run` needs no set-up.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
