namespace FleetMarket.Tests.Builders;

/// <summary>
/// A class fixture for tests that share one marketplace (each in a region or with buyers of its own): one app per
/// provider, started when a test first asks for it, disposed after the class.
/// </summary>
public sealed class ProviderApps : IAsyncLifetime
{
    private readonly Dictionary<TestDatabase, FleetApp> _apps = [];

    public FleetApp For(TestDatabase database)
    {
        lock (_apps)
        {
            if (!_apps.TryGetValue(database, out var app))
            {
                _apps[database] = app = FleetApp.For(database);
            }

            return app;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            await app.DisposeAsync();
        }
    }
}
