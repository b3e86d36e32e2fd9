using FleetMarket.Protocol;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FleetMarket.Worker.Api;

/// <summary>
/// Object storage, reached by the transfer URLs a lease carries (<see cref="BlobTransfer"/>): no credential of the
/// device's goes along, the URL is the whole permission. Failures surface as <see cref="WorkerApiException"/>, as the
/// server's do; the store answers 403 to a URL that ran out.
/// </summary>
public sealed class StorageClient(HttpClient http)
{
    public async Task<byte[]> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="content"/> as the whole blob, in one request.</summary>
    public async Task PutAsync(Uri url, byte[] content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        request.Headers.Add(BlobTransfer.BlobTypeHeader, BlobTransfer.BlockBlob);
        using var response = await SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
            {
                // The URL's query is its signature: the log names the store and the blob, never the signature.
                throw new WorkerApiException($"{request.Method} {request.RequestUri!.GetLeftPart(UriPartial.Path)}: object storage could not be reached: {e.Message}",
                    innerException: e, fromStorage: true);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await WorkerApiException.FromResponseAsync(response, cancellationToken, fromStorage: true);
            }
        }
    }
}
