namespace FleetMarket.Web.Components.Shared;

/// <summary>
/// Runs one UI operation on a service from a fresh DI scope, so every operation gets its own DbContext.
/// A circuit lives long and its handlers interleave (a refresh timer and a click), and a DbContext must
/// never see two operations at once.
/// </summary>
public sealed class Scoped<TService>(IServiceScopeFactory scopes) where TService : notnull
{
    public async Task<T> RunAsync<T>(Func<TService, Task<T>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task RunAsync(Func<TService, Task> operation) =>
        RunAsync(async service =>
        {
            await operation(service);
            return true;
        });
}
