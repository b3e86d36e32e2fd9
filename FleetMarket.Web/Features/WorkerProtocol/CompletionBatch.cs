using System.Text.Json;
using FleetMarket.Domain;
using FleetMarket.Protocol;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Reads a batched completion's form: the listed results, each paired with its outputs file. Anything that cannot be
/// a batch (no results, too many, a lease twice, a result without its file or a file without its result, a negative
/// count) is refused whole, with a reason, so a device learns of its bug instead of half a batch being taken. A result
/// whose outputs were uploaded directly (<see cref="UnitCompletion.Uploaded"/>) has no file part.
/// </summary>
public static class CompletionBatch
{
    public static IReadOnlyList<(UnitCompletion Entry, IFormFile? File)> Parse(string completions, IFormFileCollection files)
    {
        List<UnitCompletion>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<UnitCompletion>>(completions, JsonSerializerOptions.Web);
        }
        catch (JsonException exception)
        {
            throw new DomainException($"'{WorkerRoutes.CompletionsField}' is not a JSON list of completions: {exception.Message}");
        }

        if (entries is null || entries.Count is 0 or > LeaseRequest.MaxUnitsPerRequest)
        {
            throw new DomainException($"A batch completes between 1 and {LeaseRequest.MaxUnitsPerRequest} leases.");
        }

        if (entries.GroupBy(e => e.LeaseId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DomainException($"Lease {twice.Key} is completed twice in the batch.");
        }

        if (entries.FirstOrDefault(e => e.ComputeMilliseconds < 0 || e.InferenceCount < 0) is { } negative)
        {
            throw new DomainException($"Lease {negative.LeaseId}: compute time and inference count cannot be negative.");
        }

        if (entries.FirstOrDefault(e => e.Uploaded is { } uploaded && (uploaded.Bytes <= 0 || !IsSha256(uploaded.Sha256))) is { } malformed)
        {
            throw new DomainException($"Lease {malformed.LeaseId}: uploaded outputs are declared by their size in bytes (at least 1) and their lower-case hex SHA-256.");
        }

        var byName = files.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (byName.FirstOrDefault(f => f.Value.Count > 1 || !Guid.TryParse(f.Key, out var id) || entries.All(e => e.LeaseId != id)) is { Key: not null } stray)
        {
            throw new DomainException($"File part '{stray.Key}' names no lease of the batch once; each lease's outputs are one part named by its lease id.");
        }

        return entries.Select(entry => (byName.TryGetValue(entry.LeaseId.ToString(), out var file), entry.Uploaded) switch
            {
                (true, null) => (entry, file![0]),
                (false, not null) => (entry, (IFormFile?)null),
                (true, not null) => throw new DomainException($"Lease {entry.LeaseId} has a file part and declares uploaded outputs: send one or the other."),
                (false, null) => throw new DomainException($"Lease {entry.LeaseId} has no outputs: add a file part named '{entry.LeaseId}'."),
            })
            .ToList();
    }

    private static bool IsSha256(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower);
}
