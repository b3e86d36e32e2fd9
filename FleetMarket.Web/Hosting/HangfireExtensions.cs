using FleetMarket.Domain.Accounts;
using FleetMarket.Web.Data;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

public static class HangfireExtensions
{
    public const string DashboardPath = "/admin/background-tasks";
    public const string SqliteFileName = "hangfire.db";

    /// <summary>Hangfire on persistent storage (a SQLite file, or SQL Server), a server in this process, and the recurring tasks.</summary>
    public static WebApplicationBuilder AddFleetHangfire(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackgroundTaskOptions>().BindConfiguration(BackgroundTaskOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHangfire((services, configuration) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            configuration.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            // Hangfire's filters are process-wide: a second app in the process (as in the tests) must not add a second.
            if (!GlobalJobFilters.Filters.Any(filter => filter.Instance is BackgroundTaskTracing))
            {
                configuration.UseFilter(new BackgroundTaskTracing());
            }

            if (database.Provider == DatabaseProvider.SqlServer)
            {
                configuration.UseSqlServerStorage(database.SqlServerConnectionString);
            }
            else
            {
                // The default 15 s poll makes tasks start late and shutdown slow.
                configuration.UseSQLiteStorage(services.GetRequiredService<DataFolder>().File(SqliteFileName),
                    new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
        });

        // Every node runs a server on the one storage: its queue hands each task to one worker, and its lock
        // lets one node's scheduler enqueue each recurring occurrence.
        builder.Services.AddHangfireServer((services, options) =>
        {
            options.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            options.SchedulePollingInterval = services.GetRequiredService<IOptions<BackgroundTaskOptions>>().Value.SchedulePollingInterval;
        });

        builder.Services.AddHostedService<RecurringTaskSchedule>();
        return builder;
    }

    public static WebApplication MapFleetHangfireDashboard(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(Roles.Admin, DashboardPath,
            new DashboardOptions { DisplayStorageConnectionString = false, DashboardTitle = "FleetMarket background tasks" });
        return app;
    }
}
