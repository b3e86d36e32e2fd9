using System.Security.Claims;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Protocol;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>The worker protocol of DESIGN.md: pair, heartbeat, lease, fetch blobs, complete or release.</summary>
public static class WorkerApi
{
    public const string PairingRateLimit = "pairing";

    public static IEndpointRouteBuilder MapWorkerApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(WorkerRoutes.Pair, PairAsync).RequireRateLimiting(PairingRateLimit).WithTags("Worker");

        var device = app.MapGroup(WorkerRoutes.Prefix)
            .RequireAuthorization(DeviceAuthenticationHandler.SchemeName)
            .DisableAntiforgery()
            .WithTags("Worker");
        device.MapPost("/heartbeat", Heartbeat);
        device.MapPost("/lease", LeaseAsync);
        device.MapGet("/blobs/{sha256}", BlobAsync);
        device.MapPost("/leases/{leaseId:guid}/complete", CompleteAsync);
        device.MapPost("/leases/{leaseId:guid}/release", ReleaseAsync);
        return app;
    }

    public static async Task<Ok<PairResponse>> PairAsync(PairRequest request, PairingService pairing, CancellationToken cancellationToken) =>
        TypedResults.Ok(await pairing.PairAsync(request, cancellationToken));

    public static Ok<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ClaimsPrincipal user, DevicePresence presence,
        TimeProvider time, IOptions<MarketplaceOptions> marketplace)
    {
        presence.Report(DeviceId(user), new PresenceReport(time.GetUtcNow(), request.ExecutionProvider));
        var (ready, reason) = WorkReadiness.Decide(request.Conditions);
        return TypedResults.Ok(new HeartbeatResponse(ready, marketplace.Value.HeartbeatSeconds, reason));
    }

    public static async Task<Results<Ok<WorkUnitLease>, NoContent>> LeaseAsync(ClaimsPrincipal user, DispatchService dispatch,
        CancellationToken cancellationToken) =>
        await dispatch.LeaseAsync(DeviceId(user), cancellationToken) is { } lease ? TypedResults.Ok(lease) : TypedResults.NoContent();

    public static async Task<Results<FileStreamHttpResult, NotFound>> BlobAsync(string sha256, ClaimsPrincipal user,
        DispatchService dispatch, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (!await dispatch.MayReadBlobAsync(DeviceId(user), sha256, cancellationToken) || blobs.OpenRead(sha256) is not { } content)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(content, "application/octet-stream", $"{sha256}.bin");
    }

    public static async Task<Ok<CompletionResponse>> CompleteAsync(Guid leaseId, IFormFile outputs,
        [Microsoft.AspNetCore.Mvc.FromForm] long computeMilliseconds, [Microsoft.AspNetCore.Mvc.FromForm] long inferenceCount,
        ClaimsPrincipal user, CompletionService completion, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await outputs.CopyToAsync(buffer, cancellationToken);
        var result = new UnitResult(buffer.ToArray(), computeMilliseconds, inferenceCount);
        return TypedResults.Ok(await completion.CompleteAsync(DeviceId(user), leaseId, result, cancellationToken));
    }

    public static async Task<NoContent> ReleaseAsync(Guid leaseId, ClaimsPrincipal user, DispatchService dispatch,
        CancellationToken cancellationToken)
    {
        await dispatch.ReleaseAsync(DeviceId(user), leaseId, "released by the device", cancellationToken);
        return TypedResults.NoContent();
    }

    private static Guid DeviceId(ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
}
