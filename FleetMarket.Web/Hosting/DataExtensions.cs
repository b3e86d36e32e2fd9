using FleetMarket.Web.Data;
using FleetMarket.Web.Features.WorkerProtocol;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

public static class DataExtensions
{
    public const string SqliteFileName = "fleetmarket.db";

    /// <summary>EF Core on the configured provider, data protection keys in the database, migrations at start.</summary>
    public static WebApplicationBuilder AddFleetData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.SqlServer || !string.IsNullOrWhiteSpace(o.SqlServerConnectionString),
                "Database:SqlServerConnectionString is required when Database:Provider is SqlServer.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DataFolder>();

        var provider = DatabaseOptions.ProviderIn(builder.Configuration);
        if (provider == DatabaseProvider.SqlServer)
        {
            builder.Services.AddDbContext<FleetDbContext, SqlServerFleetDbContext>((services, options) =>
                options.UseSqlServer(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqlServerConnectionString)
                    .AddInterceptors(services.GetRequiredService<QueuedWorkInterceptor>()));
        }
        else
        {
            builder.Services.AddDbContext<FleetDbContext, SqliteFleetDbContext>((services, options) => options
                .UseSqlite(SqliteConnectionString(services.GetRequiredService<DataFolder>()))
                .AddInterceptors(Pragmas, services.GetRequiredService<QueuedWorkInterceptor>(), services.GetRequiredService<SqliteWriteGate>())
                // SQLite rebuilds a table to change a column (the Reservations migration does), and EF turns foreign keys
                // off around the rebuild outside its transaction, warning on every first start. The rebuild itself is
                // transactional; the warning alarmed new users and told them nothing they could act on.
                .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning)));
            builder.Services.AddSingleton<SqliteWriteGate>();
        }

        // Registered before anything else that starts with the host (data protection's key ring, Hangfire),
        // because hosted services start in order and those read tables the migration creates.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddDataProtection()
            .SetApplicationName("FleetMarket")
            .PersistKeysToDbContext<FleetDbContext>();
        return builder;
    }

    private static readonly SqlitePragmas Pragmas = new();

    /// <summary>A private cache per connection: a shared cache makes readers and writers lock each other out, undoing WAL.</summary>
    public static string SqliteConnectionString(DataFolder folder) =>
        $"Data Source={folder.File(SqliteFileName)};Default Timeout=30";
}
