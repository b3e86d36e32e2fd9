using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FleetMarket.Protocol;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FleetMarket.Worker.Api;

/// <summary>
/// The worker protocol (<see cref="WorkerRoutes"/>) over HTTP. Every failure surfaces as a
/// <see cref="WorkerApiException"/>; retries of transient failures happen below, in the resilience handler.
/// </summary>
public sealed class WorkerApiClient(HttpClient http)
{
    public const string OutputsFileName = "outputs.npz";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<PairResponse> PairAsync(PairRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Pair, JsonContent.Create(request, options: Json), cancellationToken);
        return await ReadJsonAsync<PairResponse>(response, cancellationToken);
    }

    public async Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Heartbeat, JsonContent.Create(request, options: Json), cancellationToken);
        return await ReadJsonAsync<HeartbeatResponse>(response, cancellationToken);
    }

    /// <summary>
    /// One work unit, or null when the server has none for this device (204) within <paramref name="wait"/>, which
    /// the server spends holding the request open until a unit comes. The conditions go along so that whichever
    /// web node answers applies the owner's policy to the device as it is now.
    /// </summary>
    public async Task<WorkUnitLease?> LeaseAsync(DeviceConditions conditions, TimeSpan wait, CancellationToken cancellationToken)
    {
        var waitSeconds = (int)Math.Clamp(wait.TotalSeconds, 0, LeaseRequest.MaxWaitSeconds);
        using var response = await SendAsync(
            HttpMethod.Post,
            WorkerRoutes.Lease,
            JsonContent.Create(new LeaseRequest(conditions, waitSeconds), options: Json),
            cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent
            ? null
            : await ReadJsonAsync<WorkUnitLease>(response, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="maxUnits"/> work units in run order, possibly fewer, none when the server has none within
    /// <paramref name="wait"/> (<see cref="WorkerRoutes.Leases"/>). A server from before batched leases answers 404.
    /// </summary>
    public async Task<IReadOnlyList<WorkUnitLease>> LeaseManyAsync(DeviceConditions conditions, TimeSpan wait, int maxUnits,
        CancellationToken cancellationToken)
    {
        var waitSeconds = (int)Math.Clamp(wait.TotalSeconds, 0, LeaseRequest.MaxWaitSeconds);
        using var response = await SendAsync(
            HttpMethod.Post,
            WorkerRoutes.Leases,
            JsonContent.Create(new LeaseRequest(conditions, waitSeconds, maxUnits), options: Json),
            cancellationToken);
        return (await ReadJsonAsync<LeaseBatch>(response, cancellationToken)).Leases ?? [];
    }

    /// <summary>A blob's bytes, unverified: the caller checks them against the hash it asked for.</summary>
    public async Task<byte[]> GetBlobAsync(string sha256, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, WorkerRoutes.Blob(sha256), content: null, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<CompletionResponse> CompleteAsync(
        Guid leaseId,
        byte[] outputsNpz,
        long computeMilliseconds,
        long inferenceCount,
        CancellationToken cancellationToken)
    {
        var outputs = new ByteArrayContent(outputsNpz);
        outputs.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent
        {
            { outputs, WorkerRoutes.OutputsField, OutputsFileName },
            { new StringContent(computeMilliseconds.ToString(CultureInfo.InvariantCulture)), WorkerRoutes.ComputeMillisecondsField },
            { new StringContent(inferenceCount.ToString(CultureInfo.InvariantCulture)), WorkerRoutes.InferenceCountField },
        };
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Complete(leaseId), form, cancellationToken);
        return await ReadJsonAsync<CompletionResponse>(response, cancellationToken);
    }

    /// <summary>
    /// Several results in one upload (<see cref="WorkerRoutes.CompleteMany"/>), each judged on its own. A 404 means
    /// a lease of the batch is not this device's, or a server from before batched completions: nothing was taken. A result
    /// whose outputs were uploaded to object storage (<see cref="UnitCompletion.Uploaded"/>) has no outputs here.
    /// </summary>
    public async Task<BatchCompletionResponse> CompleteManyAsync(IReadOnlyList<(UnitCompletion Entry, byte[]? OutputsNpz)> completions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var form = new MultipartFormDataContent
        {
            {
                new StringContent(JsonSerializer.Serialize(completions.Select(c => c.Entry).ToList(), Json), Encoding.UTF8, "application/json"),
                WorkerRoutes.CompletionsField
            },
        };
        foreach (var (entry, outputsNpz) in completions)
        {
            if (outputsNpz is null)
            {
                continue;
            }

            var outputs = new ByteArrayContent(outputsNpz);
            outputs.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(outputs, entry.LeaseId.ToString(), OutputsFileName);
        }

        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.CompleteMany, form, cancellationToken);
        return await ReadJsonAsync<BatchCompletionResponse>(response, cancellationToken);
    }

    /// <summary>What the device can do: its providers and benchmark score. Servers before this call answer 404.</summary>
    public async Task ReportCapabilitiesAsync(DeviceCapabilities capabilities, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Capabilities, JsonContent.Create(capabilities, options: Json), cancellationToken);
    }

    /// <summary>Gives back every lease the server thinks this device holds, except <paramref name="keep"/>.</summary>
    public async Task<ReleaseHeldResponse> ReleaseHeldAsync(IReadOnlyList<Guid> keep, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.ReleaseHeld,
            JsonContent.Create(new ReleaseHeldRequest(keep), options: Json), cancellationToken);
        return await ReadJsonAsync<ReleaseHeldResponse>(response, cancellationToken);
    }

    /// <summary>Extends a running unit's lease by one lease period.</summary>
    public async Task<LeaseRenewal> RenewAsync(Guid leaseId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Renew(leaseId), content: null, cancellationToken);
        return await ReadJsonAsync<LeaseRenewal>(response, cancellationToken);
    }

    public async Task ReleaseAsync(Guid leaseId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, WorkerRoutes.Release(leaseId), content: null, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, route) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw new WorkerApiException($"{method} {route}: the server at {http.BaseAddress} could not be reached: {e.Message}", innerException: e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await WorkerApiException.FromResponseAsync(response, cancellationToken);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                ?? throw new WorkerApiException($"{response.RequestMessage?.RequestUri?.AbsolutePath} returned an empty body where a {typeof(T).Name} was expected.");
        }
        catch (JsonException e)
        {
            throw new WorkerApiException(
                $"{response.RequestMessage?.RequestUri?.AbsolutePath} returned a body that is not a {typeof(T).Name}: {e.Message}",
                response.StatusCode,
                e);
        }
    }
}
