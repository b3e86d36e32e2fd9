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
        jobs.MapPost("/{jobId:guid}/cancel", CancelAsync).DisableAntiforgery();
        return app;
    }

    public static async Task<Created<JobProgress>> SubmitAsync(IFormFile? model, IFormFile? inputs, [FromForm, MaxLength(FieldLimits.JobName), PlainText] string? name,
        [FromForm] int? rowsPerUnit, [FromForm] long? maxPricePerHourMinor, [FromForm] JobPriority? priority,
        [FromForm] Guid? reservationId, [FromForm, MaxLength(FieldLimits.VerificationMode)] string? verification, [FromForm] int? replicas,
        [FromForm] double? absoluteTolerance, [FromForm] double? relativeTolerance,
        ClaimsPrincipal user, JobService jobs, CancellationToken cancellationToken)
    {
        // Missing parts are named in the API's words, not the framework's ("Required parameter IFormFile inputs…").
        if (model is null || inputs is null)
        {
            throw new DomainException(model is null
                ? "The form has no 'model' part: add the ONNX model as a file part named 'model' (curl: -F model=@model.onnx)."
                : "The form has no 'inputs' part: add the inputs as a file part named 'inputs', .npy or .npz (curl: -F inputs=@inputs.npy).");
        }

        // Tolerances or replicas alone refine the default policy.
        var policy = verification is null && replicas is null && absoluteTolerance is null && relativeTolerance is null
            ? null
            : VerificationPolicy.Create(ParseMode(verification), replicas, absoluteTolerance, relativeTolerance);
        var submission = new JobSubmission(name ?? Path.GetFileNameWithoutExtension(model.FileName),
            await model.ReadAllBytesAsync(cancellationToken), inputs.FileName, await inputs.ReadAllBytesAsync(cancellationToken),
            rowsPerUnit, maxPricePerHourMinor, priority ?? JobPriority.Normal, reservationId, policy);
        var id = await jobs.SubmitAsync(user.UserId(), submission, cancellationToken);
        return TypedResults.Created($"/api/jobs/{id}", await jobs.GetAsync(user.UserId(), id, cancellationToken));
    }

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

    public static async Task<Ok<JobProgress>> CancelAsync(Guid jobId, ClaimsPrincipal user, JobService jobs,
        CancellationToken cancellationToken)
    {
        await jobs.CancelAsync(user.UserId(), jobId, cancellationToken);
        return TypedResults.Ok(await jobs.GetAsync(user.UserId(), jobId, cancellationToken));
    }

}
