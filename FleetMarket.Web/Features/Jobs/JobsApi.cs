using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FleetMarket.Domain;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Validation;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Validation;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>Buyers' programmatic access to their jobs: submit, follow, download.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").RequireAuthorization(EndpointPolicies.BuyerApi)
            .RequireRateLimiting(EndpointPolicies.BuyerApiRateLimit).WithTags("Jobs");
        // Uploads may be as large as the marketplace allows a model and its inputs, past Kestrel's and forms' defaults.
        var marketplace = app.ServiceProvider.GetRequiredService<IOptions<MarketplaceOptions>>().Value;
        var uploadLimit = marketplace.MaxModelBytes + marketplace.MaxInputBytes + (1024 * 1024);
        jobs.MapPost("/", SubmitAsync).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(uploadLimit))
            .WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{jobId:guid}", GetAsync);
        jobs.MapGet("/{jobId:guid}/outputs", OutputsAsync);
        jobs.MapGet("/{jobId:guid}/outputs/link", OutputsLinkAsync);
        jobs.MapPost("/uploads", CreateUpload).DisableAntiforgery();
        jobs.MapPost("/{jobId:guid}/cancel", CancelAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// A job from a form: the model and inputs as file parts, or, where the marketplace hands out upload URLs, as the
    /// ids of files uploaded directly (<c>modelUpload</c>, <c>inputsUpload</c>), checked the same way.
    /// </summary>
    public static async Task<Created<JobProgress>> SubmitAsync(IFormFile? model, IFormFile? inputs, [FromForm] Guid? modelUpload, [FromForm] Guid? inputsUpload,
        [FromForm, MaxLength(FieldLimits.JobName), PlainText] string? name,
        [FromForm] int? rowsPerUnit, [FromForm] long? maxPricePerHourMinor, [FromForm] JobPriority? priority,
        [FromForm] Guid? reservationId, [FromForm, MaxLength(FieldLimits.VerificationMode)] string? verification, [FromForm] int? replicas,
        [FromForm] double? absoluteTolerance, [FromForm] double? relativeTolerance,
        ClaimsPrincipal user, JobService jobs, BuyerUploads uploads, IOptions<MarketplaceOptions> marketplace, CancellationToken cancellationToken)
    {
        // Missing parts are named in the API's words, not the framework's ("Required parameter IFormFile inputs…").
        if ((model is null && modelUpload is null) || (inputs is null && inputsUpload is null))
        {
            throw new DomainException(model is null && modelUpload is null
                ? "The form has no 'model' part: add the ONNX model as a file part named 'model' (curl: -F model=@model.onnx), or name an upload in 'modelUpload'."
                : "The form has no 'inputs' part: add the inputs as a file part named 'inputs', .npy or .npz (curl: -F inputs=@inputs.npy), or name an upload in 'inputsUpload'.");
        }

        if ((model is not null && modelUpload is not null) || (inputs is not null && inputsUpload is not null))
        {
            throw new DomainException("The form sends a file both as a part and as an upload: send each file one way.");
        }

        // Tolerances or replicas alone refine the default policy.
        var policy = verification is null && replicas is null && absoluteTolerance is null && relativeTolerance is null
            ? null
            : VerificationPolicy.Create(ParseMode(verification), replicas, absoluteTolerance, relativeTolerance);
        var buyerId = user.UserId();
        var settings = marketplace.Value;
        var modelBytes = model is not null
            ? await model.ReadAllBytesAsync(cancellationToken)
            : await uploads.ReadAsync(buyerId, modelUpload!.Value, settings.MaxModelBytes, "model", cancellationToken);
        var (inputsFileName, inputBytes) = inputs is not null
            ? (inputs.FileName, await inputs.ReadAllBytesAsync(cancellationToken))
            : UploadedInputs(await uploads.ReadAsync(buyerId, inputsUpload!.Value, settings.MaxInputBytes, "inputs", cancellationToken));
        var submission = new JobSubmission(name ?? (model is null ? "Job" : Path.GetFileNameWithoutExtension(model.FileName)),
            modelBytes, inputsFileName, inputBytes, rowsPerUnit, maxPricePerHourMinor, priority ?? JobPriority.Normal, reservationId, policy);
        var id = await jobs.SubmitAsync(buyerId, submission, cancellationToken);
        await uploads.DeleteAsync(buyerId, new[] { modelUpload, inputsUpload }.OfType<Guid>(), cancellationToken);
        return TypedResults.Created($"/api/jobs/{id}", await jobs.GetAsync(buyerId, id, cancellationToken));
    }

    /// <summary>An uploaded file has no name: an .npz is a zip archive, anything else is read as one .npy array.</summary>
    private static (string FileName, byte[] Content) UploadedInputs(byte[] content) =>
        (content.AsSpan().StartsWith("PK"u8) ? "inputs.npz" : "inputs.npy", content);

    /// <summary>Where to PUT a model or inputs directly; the job names it by its id. Only where blobs are in object storage.</summary>
    public static Ok<DirectUpload> CreateUpload(ClaimsPrincipal user, BuyerUploads uploads) => TypedResults.Ok(uploads.Create(user.UserId()));

    /// <summary>none, redundancy or adaptive, in any case; adaptive when left out.</summary>
    private static VerificationMode ParseMode(string? verification) =>
        verification is null ? VerificationMode.Adaptive
        : Enum.TryParse<VerificationMode>(verification, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(verification, out _) ? mode
        : throw new DomainException($"Verification '{verification}' is not known: it is none, redundancy or adaptive.");

    public static async Task<Ok<IReadOnlyList<JobProgress>>> ListAsync(ClaimsPrincipal user, JobService jobs,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.ListAsync(user.UserId(), cancellationToken));

    public static async Task<Ok<JobProgress>> GetAsync(Guid jobId, ClaimsPrincipal user, JobService jobs,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await jobs.GetAsync(user.UserId(), jobId, cancellationToken));

    public static async Task<FileStreamHttpResult> OutputsAsync(Guid jobId, ClaimsPrincipal user, JobService jobs,
        CancellationToken cancellationToken)
    {
        var output = await jobs.OpenOutputAsync(user.UserId(), jobId, cancellationToken);
        return TypedResults.File(output.Content, "application/octet-stream", output.FileName);
    }

    /// <summary>A short-lived URL that downloads the outputs straight from object storage; where blobs are kept locally, 409.</summary>
    public static async Task<Ok<OutputsLink>> OutputsLinkAsync(Guid jobId, ClaimsPrincipal user, JobService jobs, BuyerUploads uploads,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(uploads.Link(await jobs.OutputAsync(user.UserId(), jobId, cancellationToken)));

    public static async Task<Ok<JobProgress>> CancelAsync(Guid jobId, ClaimsPrincipal user, JobService jobs,
        CancellationToken cancellationToken)
    {
        await jobs.CancelAsync(user.UserId(), jobId, cancellationToken);
        return TypedResults.Ok(await jobs.GetAsync(user.UserId(), jobId, cancellationToken));
    }

}
