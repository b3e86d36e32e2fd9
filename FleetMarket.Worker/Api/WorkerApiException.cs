using System.Net;
using System.Text.Json;

namespace FleetMarket.Worker.Api;

/// <summary>A worker protocol call failed: the server refused it, or could not be reached at all.</summary>
/// <param name="fromStorage">Object storage answered, not the server: its 401 or 403 is about a transfer URL, not the device's credential.</param>
public sealed class WorkerApiException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null,
    TimeSpan? retryAfter = null, bool fromStorage = false)
    : Exception(message, innerException)
{
    private const int MaxBodyInMessage = 500;

    /// <summary>The server's status code; null when no response came.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>How long the server asked the worker to wait before asking again (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The credential was revoked or never valid: retrying cannot help, pairing again can.</summary>
    public bool IsCredentialRejected => !FromStorage && (StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);

    /// <summary>Object storage answered, by a transfer URL (<see cref="StorageClient"/>).</summary>
    public bool FromStorage { get; } = fromStorage;

    /// <summary>
    /// The server answered and refused the request itself (a 4xx other than those about the credential, timing
    /// or rate): sending it again cannot succeed.
    /// </summary>
    public bool IsDefinitive => StatusCode is { } code
        && (int)code is >= 400 and < 500
        && !IsCredentialRejected
        && code is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    internal static async Task<WorkerApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken,
        bool fromStorage = false)
    {
        var request = response.RequestMessage;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = ProblemDetail(body) ?? (body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] + "…" : body).Trim();
        var message = $"{request?.Method} {request?.RequestUri?.AbsolutePath} returned {(int)response.StatusCode} {response.ReasonPhrase}"
            + (detail.Length > 0 ? $": {detail}" : ".");
        return new WorkerApiException(message, response.StatusCode, retryAfter: RetryAfterOf(response), fromStorage: fromStorage);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The server reports errors as ProblemDetails; its detail (or title) is the useful sentence.</summary>
    private static string? ProblemDetail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (string[])["detail", "title"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
