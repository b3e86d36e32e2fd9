using System.Net.Http.Headers;
using FleetMarket.Web.Data;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// The real app on a real loopback port, with its own database and Hangfire running: SQLite files in a temporary
/// folder, or a fresh database on the test SQL Server (<see cref="For"/>). Each instance is a fresh marketplace.
/// </summary>
public sealed class FleetApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <summary>
    /// The app as configured, except that tests may pair devices and sign users in many times a minute from one
    /// address and pay out any amount (test jobs earn cents); the limits and the payout minimum have tests of their own.
    /// </summary>
    public FleetApp()
        : this([])
    {
    }

    /// <param name="settings">Configuration on top of the app's own and <see cref="TestSettings"/>.</param>
    /// <param name="sharedDataPath">Another app's data folder, to run a second process over the same database files.</param>
    /// <param name="services">Replacements for the app's services (a loaded <c>VerificationDice</c>, say).</param>
    /// <param name="database">The provider; SQL Server gets a database of its own on the test server, dropped on dispose.</param>
    internal FleetApp(Dictionary<string, string?> settings, string? sharedDataPath = null, Action<IServiceCollection>? services = null,
        TestDatabase database = TestDatabase.Sqlite)
    {
        _services = services;
        _settings = new Dictionary<string, string?>(TestSettings);
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        Database = database;
        if (database == TestDatabase.SqlServer)
        {
            _sqlServer = SqlServerTestDatabase.Create();
            _settings["Database:Provider"] = nameof(DatabaseProvider.SqlServer);
            _settings["Database:SqlServerConnectionString"] = _sqlServer.ConnectionString;
        }

        _ownsData = sharedDataPath is null;
        DataPath = sharedDataPath ?? Directory.CreateTempSubdirectory("fleetmarket-tests-").FullName;
        UseKestrel(0);
        try
        {
            StartServer();
        }
        catch when (_sqlServer is not null)
        {
            // The app's own failure is the one to see, not a second one from cleaning up after it.
            try
            {
                _sqlServer.Drop();
            }
            catch (Microsoft.Data.SqlClient.SqlException)
            {
            }

            throw;
        }
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1"));
    }

    /// <summary>The app as the parameterless constructor makes it, on <paramref name="database"/>.</summary>
    public static FleetApp For(TestDatabase database) => new([], database: database);

    /// <summary>The app on <paramref name="database"/> with <paramref name="settings"/> on top of <see cref="TestSettings"/>.</summary>
    internal static FleetApp For(TestDatabase database, Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        new(settings, services: services, database: database);

    /// <summary>The app with its blobs in a fresh container of <see cref="Azurite"/>, and <paramref name="settings"/> on top.</summary>
    internal static FleetApp OnObjectStorage(TimeSpan? transferUrlLifetime = null, Dictionary<string, string?>? settings = null)
    {
        var all = Azurite.Shared.Settings(transferUrlLifetime);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new FleetApp(all);
    }

    private readonly bool _ownsData;
    private readonly Action<IServiceCollection>? _services;
    private readonly SqlServerTestDatabase? _sqlServer;

    /// <summary>What the parameterless constructor adds to the app's configuration.</summary>
    internal static Dictionary<string, string?> TestSettings => new()
    {
        ["Marketplace:PairingAttemptsPerMinute"] = "1000",
        ["RateLimits:SignInPerMinute"] = "1000",
        ["Payouts:MinimumPayoutMinor"] = "1",
    };

    public TestDatabase Database { get; }

    /// <summary>The SQLite files (unless the app is on SQL Server) and the blobs.</summary>
    public string DataPath { get; }

    /// <summary>Where this app looks for published workers (empty unless a test publishes one there).</summary>
    public string WorkerBuildsPath => Path.Combine(DataPath, "worker-builds");

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:DataPath", DataPath);

        // Never the repository's artifacts/worker: what a developer published must not change what tests see.
        builder.UseSetting("WorkerDownloads:Path", WorkerBuildsPath);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public HttpClient NewClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler()) { BaseAddress = BaseAddress };

    /// <summary>A client that calls as <paramref name="bearer"/> (an API key or device credential, or nobody) and shows redirects instead of following them.</summary>
    public HttpClient ProbeClient(string? bearer = null)
    {
        var client = NewClient(new HttpClientHandler { AllowAutoRedirect = false });
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Runs <paramref name="action"/> with a fresh DI scope, as a request would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> action) =>
        InScopeAsync(async services => { await action(services); return true; });

    public Task<T> QueryAsync<T>(Func<FleetDbContext, Task<T>> query) =>
        InScopeAsync(services => query(services.GetRequiredService<FleetDbContext>()));

    /// <summary>
    /// Runs a recurring Hangfire job now, through Hangfire's own server, and waits for that very run to
    /// succeed (other jobs finishing meanwhile, such as output assembly, do not count).
    /// </summary>
    public async Task RunRecurringJobAsync(string id, TimeSpan? timeout = null)
    {
        var storage = Services.GetRequiredService<JobStorage>();
        var jobId = ((IRecurringJobManagerV2)Services.GetRequiredService<IRecurringJobManager>()).TriggerJob(id)
                    ?? throw new InvalidOperationException($"Recurring job {id} is not registered.");
        await Eventually.TrueAsync(() =>
        {
            using var connection = storage.GetConnection();
            var state = connection.GetStateData(jobId)?.Name;
            return state == FailedState.StateName
                ? throw new InvalidOperationException($"Recurring job {id} failed: {connection.GetStateData(jobId).Reason}")
                : Task.FromResult(state == SucceededState.StateName);
        }, timeout ?? TimeSpan.FromSeconds(30), $"recurring job {id} to succeed");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _sqlServer?.Drop();
        if (!_ownsData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection: the OS cleans temporary folders.
        }
    }
}
