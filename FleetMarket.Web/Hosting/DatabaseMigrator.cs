using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// Brings the database to the newest migration before the app serves requests (hosted services start
/// before the server listens), then seeds the demo in Development.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IOptions<DatabaseOptions> options,
    IHostEnvironment environment, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        if (options.Value.MigrateOnStart)
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                // Write-ahead logging lets readers (portal pages) proceed while a worker's lease writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            logger.LogInformation("Database {Provider} is at the newest migration", db.Database.ProviderName);
        }

        await scope.ServiceProvider.GetRequiredService<RoleSeeder>().SeedAsync(cancellationToken);
        if (environment.IsDevelopment())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
