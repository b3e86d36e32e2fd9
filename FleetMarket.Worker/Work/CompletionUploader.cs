using System.Net;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Uploads finished units and forgets each kept result (<see cref="PendingCompletions"/>) once the server has
/// answered: accepted, not accepted, or refused outright. Several waiting results go in one request
/// (<see cref="WorkerRoutes.CompleteMany"/>) when the server takes batches. A result whose upload failed any other
/// way stays kept and goes out again before the next unit. The server records a lease's completion once, so
/// sending one twice is harmless.
/// </summary>
public sealed class CompletionUploader(WorkerApiClient api, PendingCompletions pending, UnitLeaser leaser, ILogger<CompletionUploader> logger)
{
    /// <summary>Well under the server's upload limit (the largest outputs it takes, plus 1 MiB): a larger result goes alone.</summary>
    public const long MaxBatchBytes = 64L * 1024 * 1024;

    /// <summary>True at start, so that results kept from before a restart go before any new work.</summary>
    private bool _mayHavePending = true;

    /// <summary>Whether a result of <paramref name="nextBytes"/> joins a batch of <paramref name="count"/> results and <paramref name="bytes"/> bytes.</summary>
    public static bool Fits(int count, long bytes, long nextBytes) =>
        count == 0 || (count < LeaseRequest.MaxUnitsPerRequest && bytes + nextBytes <= MaxBatchBytes);

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
            _mayHavePending = true;
            throw;
        }

        pending.Delete(completion.LeaseId);
        return response;
    }

    /// <summary>
    /// Uploads the results, in one request when there are several and the server takes batches, and forgets each one
    /// answered. A batch the server refuses whole (a lease of it is not this device's: nothing was taken) goes again
    /// one result at a time, for each to get its own answer.
    /// </summary>
    /// <exception cref="WorkerApiException">The upload failed other than by a refusal: every result stays kept.</exception>
    public async Task<IReadOnlyList<CompletionOutcome>> UploadManyAsync(IReadOnlyList<PendingCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        if (completions.Count > 1 && leaser.ServerTakesBatches)
        {
            try
            {
                var response = await api.CompleteManyAsync(
                    [.. completions.Select(c => (new UnitCompletion(c.LeaseId, c.ComputeMilliseconds, c.InferenceCount), c.OutputsNpz))], cancellationToken);
                foreach (var result in response.Results)
                {
                    pending.Delete(result.LeaseId);
                }

                return [.. response.Results.Select(Outcome)];
            }
            catch (WorkerApiException e) when (e.IsDefinitive)
            {
                logger.LogWarning("The server refused a batch of {Count} results ({Problem}); sending them one at a time.", completions.Count, e.Message);
            }
            catch
            {
                _mayHavePending = true;
                throw;
            }
        }

        var outcomes = new List<CompletionOutcome>(completions.Count);
        foreach (var completion in completions)
        {
            try
            {
                var response = await UploadAsync(completion, cancellationToken);
                outcomes.Add(new CompletionOutcome(completion.LeaseId, response.Accepted, response.Reason));
            }
            catch (WorkerApiException e) when (e.IsDefinitive)
            {
                outcomes.Add(new CompletionOutcome(completion.LeaseId, false, e.Message, e));
            }
        }

        return outcomes;
    }

    /// <summary>Sends the kept results, oldest first. A failure other than a refusal stops it, for the caller to retry later.</summary>
    public async Task ResendPendingAsync(CancellationToken cancellationToken)
    {
        if (!_mayHavePending)
        {
            return;
        }

        var batch = new List<PendingCompletion>();
        long bytes = 0;
        foreach (var completion in pending.Load())
        {
            if (!Fits(batch.Count, bytes, completion.OutputsNpz.LongLength))
            {
                await ResendAsync(batch, cancellationToken);
                (batch, bytes) = ([], 0);
            }

            batch.Add(completion);
            bytes += completion.OutputsNpz.LongLength;
        }

        if (batch.Count > 0)
        {
            await ResendAsync(batch, cancellationToken);
        }

        _mayHavePending = false;
    }

    private async Task ResendAsync(IReadOnlyList<PendingCompletion> batch, CancellationToken cancellationToken)
    {
        foreach (var outcome in await UploadManyAsync(batch, cancellationToken))
        {
            if (outcome.Refusal is not null)
            {
                logger.LogWarning("The server refused the kept result of lease {LeaseId} ({Problem}); dropping it.", outcome.LeaseId, outcome.Reason);
            }
            else
            {
                logger.LogInformation("Delivered the kept result of lease {LeaseId}: {Outcome}", outcome.LeaseId,
                    outcome.Accepted ? "accepted" : $"not accepted ({outcome.Reason})");
            }
        }
    }

    /// <summary>A result the batch refused is one a single completion would have answered 400, the server's status for a broken rule.</summary>
    private static CompletionOutcome Outcome(LeaseCompletionResponse result) => new(
        result.LeaseId,
        result.Accepted,
        result.Reason,
        result.Refused ? new WorkerApiException($"The server refused the result of lease {result.LeaseId}: {result.Reason}", HttpStatusCode.BadRequest) : null);
}
