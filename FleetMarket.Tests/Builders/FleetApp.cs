using FleetMarket.Web.Data;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// The real app on a real loopback port, with its own SQLite files in a temporary folder and Hangfire
/// running. Each instance is a fresh marketplace.
/// </summary>
public sealed class FleetApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public FleetApp()
        : this([])
    {
    }

    internal FleetApp(Dictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1"));
    }

    public string DataPath { get; } = Directory.CreateTempSubdirectory("fleetmarket-tests-").FullName;

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:DataPath", DataPath);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient NewClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler()) { BaseAddress = BaseAddress };

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

    /// <summary>Runs a recurring Hangfire job now and waits for it, through Hangfire's own server.</summary>
    public async Task RunRecurringJobAsync(string id, TimeSpan? timeout = null)
    {
        var storage = Services.GetRequiredService<JobStorage>();
        var before = storage.GetMonitoringApi().SucceededListCount();
        Services.GetRequiredService<IRecurringJobManager>().Trigger(id);
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().SucceededListCount() > before),
            timeout ?? TimeSpan.FromSeconds(30), $"recurring job {id} to succeed");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
