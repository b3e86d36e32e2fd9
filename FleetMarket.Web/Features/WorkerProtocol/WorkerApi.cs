using System.ComponentModel.DataAnnotations;
using FleetMarket.Domain;
using FleetMarket.Protocol;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Marketplace;
using FleetMarket.Web.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>The worker protocol (docs/architecture.md): pair, heartbeat, lease, fetch blobs, complete or release.</summary>
public static class WorkerApi
{
    public static IEndpointRouteBuilder MapWorkerApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(WorkerRoutes.Pair, PairAsync).RequireRateLimiting(EndpointPolicies.PairingRateLimit).WithTags("Worker");

        var device = app.MapGroup(WorkerRoutes.Prefix)
            .RequireAuthorization(DeviceAuthenticationHandler.SchemeName)
            // The one counter for every endpoint: AddEndpointFilter<T> would make a filter, and a count, per request.
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<DeviceRateLimit>().InvokeAsync(context, next))
            .DisableAntiforgery()
            .WithTags("Worker");
        device.MapPost("/heartbeat", Heartbeat);
        device.MapPost("/capabilities", CapabilitiesAsync);
        device.MapPost("/lease", LeaseAsync);
        device.MapPost("/leases", LeaseManyAsync);
        device.MapGet("/blobs/{sha256}", BlobAsync);
        // A unit's outputs may be as large as the marketplace allows, past Kestrel's and forms' defaults; the
        // mebibyte over it is room for the archive's and the form's framing.
        var uploadLimit = app.ServiceProvider.GetRequiredService<IOptions<MarketplaceOptions>>().Value.MaxOutputBytes + (1024 * 1024);
        device.MapPost("/leases/{leaseId:guid}/complete", CompleteAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(uploadLimit))
            .WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        device.MapPost("/leases/complete", CompleteManyAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(uploadLimit))
            .WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        device.MapPost("/leases/{leaseId:guid}/release", ReleaseAsync);
        device.MapPost("/leases/release-held", ReleaseHeldAsync);
        device.MapPost("/leases/{leaseId:guid}/renew", RenewAsync);
        return app;
    }

    public static async Task<Ok<PairResponse>> PairAsync(PairRequest request, PairingService pairing, CancellationToken cancellationToken) =>
        TypedResults.Ok(await pairing.PairAsync(request, cancellationToken));

    /// <summary>No database access: presence is batched in memory and the policy came with the credential.</summary>
    public static Ok<HeartbeatResponse> Heartbeat(HeartbeatRequest request, AuthenticatedDevice device, DevicePresence presence,
        TimeProvider time, IOptions<MarketplaceOptions> marketplace)
    {
        if (request.Conditions is null || string.IsNullOrWhiteSpace(request.ExecutionProvider))
        {
            throw new DomainException("A heartbeat reports the device's conditions and the execution provider in use.");
        }

        var now = time.GetUtcNow();
        presence.Report(device.DeviceId, new PresenceReport(now, request.ExecutionProvider));
        var leaseDuration = marketplace.Value.LeaseDuration;
        var decision = device.Policy.Evaluate(request.Conditions, now, leaseDuration);
        return TypedResults.Ok(new HeartbeatResponse(decision.Allowed, marketplace.Value.HeartbeatSeconds, decision.Reason,
            device.Policy, leaseDuration));
    }

    public static async Task<NoContent> CapabilitiesAsync(DeviceCapabilities capabilities, AuthenticatedDevice device,
        DeviceService devices, CancellationToken cancellationToken)
    {
        await devices.RecordCapabilitiesAsync(device.DeviceId, capabilities, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>One unit, as workers before batched leases ask; 204 when there is none.</summary>
    public static async Task<Results<Ok<WorkUnitLease>, NoContent>> LeaseAsync(LeaseRequest? request, AuthenticatedDevice device,
        LeaseWaiter waiter, DeviceRateLimit limit, CancellationToken cancellationToken)
    {
        if ((await waiter.LeaseAsync(device, request, 1, cancellationToken)).SingleOrDefault() is not { } lease)
        {
            return TypedResults.NoContent();
        }

        limit.CreditLeasedUnits(device.DeviceId, 1);
        return TypedResults.Ok(lease);
    }

    /// <summary>Up to <see cref="LeaseRequest.MaxUnits"/> units in one answer, which lists none when there are none.</summary>
    public static async Task<Ok<LeaseBatch>> LeaseManyAsync(LeaseRequest? request, AuthenticatedDevice device,
        LeaseWaiter waiter, DeviceRateLimit limit, CancellationToken cancellationToken)
    {
        var leases = await waiter.LeaseAsync(device, request, request?.MaxUnits ?? 1, cancellationToken);
        limit.CreditLeasedUnits(device.DeviceId, leases.Count);
        return TypedResults.Ok(new LeaseBatch(leases));
    }

    public static async Task<Results<FileStreamHttpResult, NotFound>> BlobAsync(string sha256, AuthenticatedDevice device,
        DispatchService dispatch, IBlobStore blobs, MarketplaceMetrics metrics, CancellationToken cancellationToken)
    {
        if (!await dispatch.MayReadBlobAsync(device.DeviceId, sha256, cancellationToken) || await blobs.OpenReadAsync(sha256, cancellationToken) is not { } content)
        {
            return TypedResults.NotFound();
        }

        metrics.Relayed(content.Length, MarketplaceMetrics.Download);
        return TypedResults.File(content.Content, "application/octet-stream", $"{sha256}.bin");
    }

    public static async Task<Ok<CompletionResponse>> CompleteAsync(Guid leaseId, IFormFile outputs,
        [Microsoft.AspNetCore.Mvc.FromForm, Range(0, long.MaxValue)] long computeMilliseconds,
        [Microsoft.AspNetCore.Mvc.FromForm, Range(0, long.MaxValue)] long inferenceCount,
        AuthenticatedDevice device, CompletionService completion, MarketplaceMetrics metrics, CancellationToken cancellationToken)
    {
        metrics.Relayed(outputs.Length, MarketplaceMetrics.Upload);
        var result = new UnitResult(await outputs.ReadAllBytesAsync(cancellationToken), computeMilliseconds, inferenceCount);
        return TypedResults.Ok(await completion.CompleteAsync(device, leaseId, result, cancellationToken));
    }

    /// <summary>
    /// Several results in one upload: the <see cref="WorkerRoutes.CompletionsField"/> part lists them, and each one's
    /// outputs are the file part named by its lease id. A malformed batch is refused whole, before anything is judged.
    /// </summary>
    public static async Task<Ok<BatchCompletionResponse>> CompleteManyAsync(
        [Microsoft.AspNetCore.Mvc.FromForm(Name = WorkerRoutes.CompletionsField), StringLength(64 * 1024)] string completions,
        IFormFileCollection files, AuthenticatedDevice device, CompletionService completion, MarketplaceMetrics metrics,
        CancellationToken cancellationToken)
    {
        metrics.Relayed(files.Sum(file => file.Length), MarketplaceMetrics.Upload);
        var batch = CompletionBatch.Parse(completions, files);
        var results = new List<(Guid, UnitResult)>(batch.Count);
        foreach (var (entry, file) in batch)
        {
            var outputs = file is null ? null : await file.ReadAllBytesAsync(cancellationToken);
            results.Add((entry.LeaseId, new UnitResult(outputs, entry.ComputeMilliseconds, entry.InferenceCount, entry.Uploaded)));
        }

        return TypedResults.Ok(new BatchCompletionResponse(await completion.CompleteManyAsync(device, results, cancellationToken)));
    }

    public static async Task<NoContent> ReleaseAsync(Guid leaseId, AuthenticatedDevice device, DispatchService dispatch,
        CancellationToken cancellationToken)
    {
        await dispatch.ReleaseAsync(device.DeviceId, leaseId, "released by the device", cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<LeaseRenewal>> RenewAsync(Guid leaseId, AuthenticatedDevice device, LeaseRenewals renewals,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await renewals.RenewAsync(device, leaseId, cancellationToken));

    public static async Task<Ok<ReleaseHeldResponse>> ReleaseHeldAsync(ReleaseHeldRequest? request, AuthenticatedDevice device,
        DispatchService dispatch, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReleaseHeldResponse(await dispatch.ReleaseHeldAsync(device.DeviceId, request?.Keep ?? [], cancellationToken)));
}
