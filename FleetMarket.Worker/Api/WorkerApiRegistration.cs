using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace FleetMarket.Worker.Api;

public static class WorkerApiRegistration
{
    /// <summary>Long enough for a large model to download over a home connection.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(2);

    public static IServiceCollection AddWorkerApi(this IServiceCollection services, WorkerConnection connection)
    {
        services.AddHttpClient<WorkerApiClient>(http =>
            {
                http.BaseAddress = connection.Server;

                // The resilience pipeline's timeouts govern; HttpClient's own 100 s would cut long downloads short.
                http.Timeout = Timeout.InfiniteTimeSpan;
                if (connection.Credential is { } credential)
                {
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
                }
            })
            .WithWorkerResilience();

        // Object storage: no base address and no credential, the transfer URL is the whole permission.
        services.AddHttpClient<StorageClient>(http => http.Timeout = Timeout.InfiniteTimeSpan).WithWorkerResilience();
        return services;
    }

    private static IHttpClientBuilder WithWorkerResilience(this IHttpClientBuilder client)
    {
        // The client lives as long as the worker: recycle connections instead of handlers, so DNS changes are seen.
        client.UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = AttemptTimeout;
                options.TotalRequestTimeout.Timeout = 3 * AttemptTimeout;
                options.CircuitBreaker.SamplingDuration = 2 * AttemptTimeout;
                options.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
            });
        return client;
    }

    /// <summary>
    /// Network failures, timeouts and 5xx. Unlike the standard predicate, no 4xx (not even 408 or 429):
    /// a refusal is the server's answer, and the worker's loops decide when to ask again.
    /// </summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? (int)response.StatusCode >= 500
            : outcome.Exception is HttpRequestException or TimeoutRejectedException;
}
