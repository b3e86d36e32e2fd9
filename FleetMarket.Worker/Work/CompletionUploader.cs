using System.Net;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Uploads finished units and forgets each kept result (<see cref="PendingCompletions"/>) once the server has
/// answered: accepted, not accepted, or refused outright. Several waiting results go in one request
/// (<see cref="WorkerRoutes.CompleteMany"/>) when the server takes batches. A result whose upload failed any other
/// way stays kept and goes out again before the next unit. The server records a lease's completion once, so
/// sending one twice is harmless. Outputs whose lease carried transfer URLs go to object storage first, and their
/// completion only declares them (size and SHA-256); the server reads them back from there.
/// </summary>
public sealed class CompletionUploader(WorkerApiClient api, DirectTransfers direct, PendingCompletions pending, UnitLeaser leaser,
    ILogger<CompletionUploader> logger)
{
    /// <summary>Well under the server's upload limit (the largest outputs it takes, plus 1 MiB): a larger result goes alone.</summary>
    public const long MaxBatchBytes = 64L * 1024 * 1024;

    /// <summary>True at start, so that results kept from before a restart go before any new work.</summary>
    private bool _mayHavePending = true;

    /// <summary>Whether a result of <paramref name="nextBytes"/> joins a batch of <paramref name="count"/> results and <paramref name="bytes"/> bytes.</summary>
    public static bool Fits(int count, long bytes, long nextBytes) =>
        count == 0 || (count < LeaseRequest.MaxUnitsPerRequest && bytes + nextBytes <= MaxBatchBytes);

    /// <summary>Sends one result whose outputs, if bound for object storage, are there already.</summary>
    /// <exception cref="WorkerApiException">The upload failed; when <see cref="WorkerApiException.IsDefinitive"/>, the result is forgotten.</exception>
    private async Task<CompletionResponse> UploadAsync(PendingCompletion completion, CancellationToken cancellationToken)
    {
        CompletionResponse response;
        try
        {
            response = completion.OutputsUrl is null
                ? await api.CompleteAsync(completion.LeaseId, completion.OutputsNpz, completion.ComputeMilliseconds, completion.InferenceCount, cancellationToken)
                : await CompleteUploadedAsync(completion, cancellationToken);
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
        var outcomes = new List<CompletionOutcome>(completions.Count);
        completions = await ToStorageAsync(completions, outcomes, cancellationToken);
        if (completions.Count > 1 && leaser.ServerTakesBatches)
        {
            try
            {
                var response = await api.CompleteManyAsync([.. completions.Select(c => (Entry(c), c.OutputsUrl is null ? c.OutputsNpz : null))], cancellationToken);
                foreach (var result in response.Results)
                {
                    pending.Delete(result.LeaseId);
                }

                return [.. outcomes, .. response.Results.Select(Outcome)];
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

    /// <summary>
    /// Puts the outputs bound for object storage there, and answers which results may now be completed. An upload the
    /// store refuses for good (its lease is gone, so no fresh URL came) forgets its result, with that refusal as its outcome.
    /// </summary>
    private async Task<IReadOnlyList<PendingCompletion>> ToStorageAsync(IReadOnlyList<PendingCompletion> completions, List<CompletionOutcome> outcomes,
        CancellationToken cancellationToken)
    {
        var ready = new List<PendingCompletion>(completions.Count);
        foreach (var completion in completions)
        {
            try
            {
                if (completion.OutputsUrl is { } url)
                {
                    await direct.UploadOutputsAsync(completion.LeaseId, url, completion.OutputsNpz, cancellationToken);
                }

                ready.Add(completion);
            }
            catch (WorkerApiException e) when (e.IsDefinitive)
            {
                pending.Delete(completion.LeaseId);
                outcomes.Add(new CompletionOutcome(completion.LeaseId, false, e.Message, e));
            }
            catch
            {
                _mayHavePending = true;
                throw;
            }
        }

        return ready;
    }

    /// <summary>A result whose outputs are in object storage, completed alone: as a batch of one, the form that declares an upload.</summary>
    private async Task<CompletionResponse> CompleteUploadedAsync(PendingCompletion completion, CancellationToken cancellationToken)
    {
        var result = (await api.CompleteManyAsync([(Entry(completion), null)], cancellationToken)).Results.Single();
        return result.Refused
            ? throw new WorkerApiException($"The server refused the result of lease {result.LeaseId}: {result.Reason}", HttpStatusCode.BadRequest)
            : new CompletionResponse(result.Accepted, result.Reason);
    }

    private static UnitCompletion Entry(PendingCompletion completion) => new(completion.LeaseId, completion.ComputeMilliseconds, completion.InferenceCount,
        completion.OutputsUrl is null ? null : new UploadedOutputs(ContentHash.Sha256(completion.OutputsNpz), completion.OutputsNpz.LongLength));

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
