using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// The framework answers some bad API requests with a bare status before any handler runs: a body over the
/// endpoint's limit (413), a body of the wrong content type (415), a form or multipart body it cannot read
/// (400), no credentials (401). (A 415 comes from routing, whose stand-in endpoint does not say what the real one
/// takes, hence the general advice.) Those get the same problem+json, with a sentence, as every other API error.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = code, Title = Title(code), Detail = Detail(context, code) },
        });
    }

    public static string Title(int code) => code switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body is of the wrong type.",
        StatusCodes.Status401Unauthorized => "Sign-in required.",
        StatusCodes.Status403Forbidden => "Not allowed.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed.",
        _ => "The request is malformed.",
    };

    private static string? Detail(HttpContext context, int code) => code switch
    {
        StatusCodes.Status413PayloadTooLarge => "The body is larger than this endpoint accepts; see the limits in the API's documentation.",
        StatusCodes.Status415UnsupportedMediaType =>
            $"The request was sent as {context.Request.ContentType ?? "no content type"}: send JSON as application/json, uploads as multipart/form-data.",
        StatusCodes.Status400BadRequest when context.Request.HasFormContentType =>
            "The form body could not be read: it is malformed, incomplete, or over a size limit.",
        StatusCodes.Status401Unauthorized => "Sign in to the portal, or send an API key as 'Authorization: Bearer fmk_…'.",
        StatusCodes.Status403Forbidden => "Your account may not do this.",
        _ => null,
    };
}
