using System.Text.Json;
using FleetMarket.Domain;
using FleetMarket.Protocol;

namespace FleetMarket.Web.Features.WorkerProtocol;

/// <summary>
/// Reads a batched completion's form: the listed results, each paired with its outputs file. Anything that cannot be
/// a batch (no results, too many, a lease twice, a result without its file or a file without its result, a negative
/// count) is refused whole, with a reason, so a device learns of its bug instead of half a batch being taken.
/// </summary>
public static class CompletionBatch
{
    public static IReadOnlyList<(UnitCompletion Entry, IFormFile File)> Parse(string completions, IFormFileCollection files)
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

        var byName = files.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (byName.FirstOrDefault(f => f.Value.Count > 1 || !Guid.TryParse(f.Key, out var id) || entries.All(e => e.LeaseId != id)) is { Key: not null } stray)
        {
            throw new DomainException($"File part '{stray.Key}' names no lease of the batch once; each lease's outputs are one part named by its lease id.");
        }

        return entries.Select(entry => byName.TryGetValue(entry.LeaseId.ToString(), out var file)
                ? (entry, file[0])
                : throw new DomainException($"Lease {entry.LeaseId} has no outputs: add a file part named '{entry.LeaseId}'."))
            .ToList();
    }
}
