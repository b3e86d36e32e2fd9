using FleetMarket.Protocol;
using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Uploads finished units and forgets each kept result (<see cref="PendingCompletions"/>) once the server has
/// answered: accepted, not accepted, or refused outright. A result whose upload failed any other way stays
/// kept and goes out again before the next unit. The server records a lease's completion once, so sending
/// one twice is harmless.
/// </summary>
public sealed class CompletionUploader(WorkerApiClient api, PendingCompletions pending, ILogger<CompletionUploader> logger)
{
    /// <summary>True at start, so that results kept from before a restart go before any new work.</summary>
    private bool mayHavePending = true;

    /// <exception cref="WorkerApiException">The upload failed; when <see cref="WorkerApiException.IsDefinitive"/>, the result is forgotten.</exception>
    public async Task<CompletionResponse> UploadAsync(PendingCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        CompletionResponse response;
        try
        {
            response = await api.CompleteAsync(completion.LeaseId, completion.OutputsNpz, completion.ComputeMilliseconds, completion.InferenceCount, cancellationToken);
        }
        catch (WorkerApiException e) when (e.IsDefinitive)
        {
            pending.Delete(completion.LeaseId);
            throw;
        }
        catch
        {
            mayHavePending = true;
            throw;
        }

        pending.Delete(completion.LeaseId);
        return response;
    }

    /// <summary>Sends the kept results, oldest first. A failure other than a refusal stops it, for the caller to retry later.</summary>
    public async Task ResendPendingAsync(CancellationToken cancellationToken)
    {
        if (!mayHavePending)
        {
            return;
        }

        foreach (var completion in pending.Load())
        {
            try
            {
                var response = await UploadAsync(completion, cancellationToken);
                logger.LogInformation("Delivered the kept result of lease {LeaseId}: {Outcome}", completion.LeaseId,
                    response.Accepted ? "accepted" : $"not accepted ({response.Reason})");
            }
            catch (WorkerApiException e) when (e.IsDefinitive)
            {
                logger.LogWarning("The server refused the kept result of lease {LeaseId} ({Problem}); dropping it.", completion.LeaseId, e.Message);
            }
        }

        mayHavePending = false;
    }
}
