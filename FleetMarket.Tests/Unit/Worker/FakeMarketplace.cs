using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetMarket.Tests.Unit.Worker;

/// <summary>
/// The worker protocol's server side, minimal and in memory, on a real loopback port: lets the worker
/// be tested over HTTP without FleetMarket.Web.
/// </summary>
internal sealed class FakeMarketplace : IAsyncDisposable
{
    public const string PairingCode = "ABCD-1234";
    public const string Credential = "test-device-credential";

    public static readonly Guid DeviceId = Guid.Parse("6f1c2a50-8d1e-4e4f-9a55-1f0b6a2c7d11");

    private readonly WebApplication _app;

    private FakeMarketplace(WebApplication app) => _app = app;

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public bool ShouldWork { get; set; } = true;

    /// <summary>The owner's policy, sent with every heartbeat, with <see cref="LeaseDuration"/>.</summary>
    public AvailabilityPolicy? Policy { get; set; }

    public TimeSpan? LeaseDuration { get; set; }

    /// <summary>False plays a server from before capability reports: the route answers 404.</summary>
    public bool TakesCapabilities { get; set; } = true;

    /// <summary>False plays a server from before batched leases and completions: their routes answer 404.</summary>
    public bool TakesBatches { get; set; } = true;

    /// <summary>When set, batched completions are refused whole with this status code (404: a lease not the device's).</summary>
    public int? CompleteManyRefusal { get; set; }

    /// <summary>The lease ids of each batched completion the server took, in the order they came.</summary>
    public ConcurrentQueue<IReadOnlyList<Guid>> CompletionBatches { get; } = new();

    /// <summary>
    /// Runs before a completion is taken, alone or in a batch, with the request's abort token; tests use it to stop the
    /// worker mid-upload. Whether results go alone or together depends on timing, so both routes run it.
    /// </summary>
    public Func<Guid, CancellationToken, Task>? BeforeComplete { get; set; }

    /// <summary>When set, completions are refused with this status code instead of taken.</summary>
    public int? CompleteRefusal { get; set; }

    public ConcurrentQueue<DeviceCapabilities> Capabilities { get; } = new();

    /// <summary>Runs before a blob is served; tests use it to cancel mid-unit or to serve different bytes.</summary>
    public Func<string, Task>? BeforeBlob { get; set; }

    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new();

    public ConcurrentQueue<WorkUnitLease> PendingLeases { get; } = new();

    public ConcurrentQueue<HeartbeatRequest> Heartbeats { get; } = new();

    public ConcurrentQueue<string> LeaseRequestBodies { get; } = new();

    /// <summary>When each lease request arrived.</summary>
    public ConcurrentQueue<DateTimeOffset> LeaseRequestTimes { get; } = new();

    public ConcurrentQueue<Completion> Completions { get; } = new();

    public ConcurrentQueue<Guid> Releases { get; } = new();

    public ConcurrentQueue<Guid> Renewals { get; } = new();

    /// <summary>Answers renewals with this status (a lease that ran out: 409) instead of renewing.</summary>
    public int? RenewRefusal { get; set; }

    /// <summary>The <c>keep</c> list of each request to give back the leases the device holds.</summary>
    public ConcurrentQueue<IReadOnlyList<Guid>> HeldReleases { get; } = new();

    /// <summary>Answers the next lease request 429 with this <c>Retry-After</c>, then serves normally.</summary>
    public TimeSpan? NextLeaseRetryAfter { get; set; }

    public static async Task<FakeMarketplace> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var fake = new FakeMarketplace(builder.Build());
        fake.MapRoutes();
        await fake._app.StartAsync();
        return fake;
    }

    /// <summary>Queues one work unit of <paramref name="model"/> over <paramref name="features"/>.</summary>
    /// <param name="leaseSeconds">The lease period the worker renews within; null as from a server before renewal.</param>
    public WorkUnitLease AddUnit(byte[] model, NpyArray features, int? leaseSeconds = null)
    {
        var modelSha = AddBlob(model);
        var inputSha = AddBlob(Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.InputName] = features }));
        var lease = new WorkUnitLease(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), modelSha, inputSha, features.RowCount,
            DateTimeOffset.UtcNow.AddMinutes(5), leaseSeconds);
        PendingLeases.Enqueue(lease);
        return lease;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string AddBlob(byte[] bytes)
    {
        var sha = ContentHash.Sha256(bytes);
        Blobs[sha] = bytes;
        return sha;
    }

    private void MapRoutes()
    {
        _app.MapPost(WorkerRoutes.Pair, (PairRequest request) => request.Code == PairingCode
            ? Results.Ok(new PairResponse(DeviceId, "test car", Credential))
            : Results.Problem(title: "Invalid pairing code", detail: "The pairing code is invalid or has expired.", statusCode: 400));

        var device = _app.MapGroup(string.Empty).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.Authorization == $"Bearer {Credential}" ? await next(context) : Results.Unauthorized());

        device.MapPost(WorkerRoutes.Heartbeat, (HeartbeatRequest request) =>
        {
            Heartbeats.Enqueue(request);
            return new HeartbeatResponse(ShouldWork, NextHeartbeatSeconds: 60, ShouldWork ? null : "outside the availability window", Policy, LeaseDuration);
        });

        device.MapPost(WorkerRoutes.Capabilities, (DeviceCapabilities capabilities) =>
        {
            if (!TakesCapabilities)
            {
                return Results.NotFound();
            }

            Capabilities.Enqueue(capabilities);
            return Results.NoContent();
        });

        device.MapPost(WorkerRoutes.Lease, async (HttpRequest request) =>
            await LeaseAsync(request, _ => 1) is { } leases ? (leases.Count == 0 ? Results.NoContent() : Results.Ok(leases[0])) : TooManyRequests(request));

        device.MapPost(WorkerRoutes.Leases, async (HttpRequest request) =>
        {
            if (!TakesBatches)
            {
                return Results.NotFound();
            }

            return await LeaseAsync(request, body => JsonSerializer.Deserialize<LeaseRequest>(body, JsonSerializerOptions.Web)?.MaxUnits ?? 1) is { } leases
                ? Results.Ok(new LeaseBatch(leases))
                : TooManyRequests(request);
        });

        device.MapGet(WorkerRoutes.Blob("{sha}"), async (string sha) =>
        {
            if (BeforeBlob is { } hook)
            {
                await hook(sha);
            }

            return Blobs.TryGetValue(sha, out var bytes) ? Results.Bytes(bytes) : Results.NotFound();
        });

        device.MapPost(WorkerRoutes.Prefix + "/leases/{leaseId:guid}/complete", async (Guid leaseId, HttpRequest request) =>
        {
            if (BeforeComplete is { } hook)
            {
                await hook(leaseId, request.HttpContext.RequestAborted);
            }

            if (CompleteRefusal is { } status)
            {
                return Results.Problem(title: "Lease lost", detail: "This lease was given to another device.", statusCode: status);
            }

            var form = await request.ReadFormAsync();
            var file = form.Files[WorkerRoutes.OutputsField]!;
            Completions.Enqueue(new Completion(
                leaseId,
                file.FileName,
                await ReadOutputsAsync(file),
                long.Parse(form[WorkerRoutes.ComputeMillisecondsField]!),
                long.Parse(form[WorkerRoutes.InferenceCountField]!)));
            return Results.Ok(new CompletionResponse(Accepted: true));
        });

        device.MapPost(WorkerRoutes.CompleteMany, async (HttpRequest request) =>
        {
            if (!TakesBatches || CompleteManyRefusal is { } status)
            {
                return Results.Problem(title: "No such lease", detail: "A lease of the batch is not this device's.", statusCode: CompleteManyRefusal ?? 404);
            }

            var form = await request.ReadFormAsync();
            var entries = JsonSerializer.Deserialize<List<UnitCompletion>>(form[WorkerRoutes.CompletionsField]!, JsonSerializerOptions.Web)!;
            foreach (var entry in entries)
            {
                if (BeforeComplete is { } hook)
                {
                    await hook(entry.LeaseId, request.HttpContext.RequestAborted);
                }

                var file = form.Files[entry.LeaseId.ToString()]!;
                Completions.Enqueue(new Completion(entry.LeaseId, file.FileName, await ReadOutputsAsync(file), entry.ComputeMilliseconds, entry.InferenceCount));
            }

            CompletionBatches.Enqueue([.. entries.Select(entry => entry.LeaseId)]);
            return Results.Ok(new BatchCompletionResponse([.. entries.Select(entry => new LeaseCompletionResponse(entry.LeaseId, Accepted: true))]));
        });

        device.MapPost(WorkerRoutes.Prefix + "/leases/{leaseId:guid}/renew", (Guid leaseId) =>
        {
            Renewals.Enqueue(leaseId);
            return RenewRefusal is { } status
                ? Results.Problem(title: "Lease lost", detail: "The lease has expired; the unit went back to the queue.", statusCode: status)
                : Results.Ok(new LeaseRenewal(leaseId, DateTimeOffset.UtcNow.AddMinutes(1)));
        });

        device.MapPost(WorkerRoutes.ReleaseHeld, (ReleaseHeldRequest request) =>
        {
            HeldReleases.Enqueue(request.Keep ?? []);
            return new ReleaseHeldResponse(Released: 0);
        });

        device.MapPost(WorkerRoutes.Prefix + "/leases/{leaseId:guid}/release", (Guid leaseId) =>
        {
            Releases.Enqueue(leaseId);
            return Results.NoContent();
        });
    }

    /// <summary>Up to as many queued units as the request's body asks for; null when this request is to be answered 429.</summary>
    private async Task<List<WorkUnitLease>?> LeaseAsync(HttpRequest request, Func<string, int> maxUnitsOf)
    {
        LeaseRequestTimes.Enqueue(DateTimeOffset.UtcNow);
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        LeaseRequestBodies.Enqueue($"{request.ContentType} {body}");
        var maxUnits = maxUnitsOf(body);
        if (NextLeaseRetryAfter is not null)
        {
            return null;
        }

        var leases = new List<WorkUnitLease>();
        while (leases.Count < maxUnits && PendingLeases.TryDequeue(out var lease))
        {
            leases.Add(lease);
        }

        return leases;
    }

    private IResult TooManyRequests(HttpRequest request)
    {
        var retryAfter = NextLeaseRetryAfter!.Value;
        NextLeaseRetryAfter = null;
        request.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(title: "Too many requests.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IReadOnlyDictionary<string, NpyArray>> ReadOutputsAsync(IFormFile file)
    {
        using var stream = new MemoryStream();
        await file.CopyToAsync(stream);
        return Npz.Read(stream.ToArray(), TestArrays.Trusted);
    }

    public sealed record Completion(
        Guid LeaseId,
        string FileName,
        IReadOnlyDictionary<string, NpyArray> Outputs,
        long ComputeMilliseconds,
        long InferenceCount);
}
