using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// Gathers what the payout anomaly rules look at over the recent past, for all owners of a payout run at once:
/// a handful of grouped queries per run, however many owners and usage records there are.
/// </summary>
public sealed class PayoutFactsReader(FleetDbContext db, TimeProvider time, IOptions<PayoutOptions> options)
{
    /// <param name="amountsByOwner">Each owner about to be paid, with the payout's amount.</param>
    public async Task<IReadOnlyDictionary<string, PayoutFacts>> ReadAsync(IReadOnlyDictionary<string, long> amountsByOwner,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var since = now.AddDays(-options.Value.AnomalyLookbackDays);
        var newSince = now.AddDays(-options.Value.NewDeviceDays);
        // One pass over the period's usage, grouped by owner, device and job; everything else is worked out from the groups.
        var work = await db.UsageRecords.AsNoTracking()
            .Where(u => u.RecordedAt >= since)
            .GroupBy(u => new { u.OwnerId, u.DeviceId, u.JobId })
            .Select(g => new WorkDone(
                g.Key.OwnerId,
                g.Key.DeviceId,
                g.Key.JobId,
                g.Sum(u => u.ComputeMilliseconds),
                g.Sum(u => u.InferenceCount > 0 ? 0 : u.ComputeMilliseconds),
                g.Sum(u => (long)u.InferenceCount),
                g.Count(),
                g.Count(u => u.ReversedAt != null),
                g.Sum(u => u.ChargeMinor - u.FeeMinor)))
            .ToListAsync(cancellationToken);
        var deviceIds = work.Select(w => w.DeviceId).Distinct().ToList();
        var devices = await db.Devices.AsNoTracking()
            .Where(d => deviceIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => (Score: d.BenchmarkScore ?? 0, IsNew: d.CreatedAt >= newSince), cancellationToken);
        var previous = (await db.Payouts.AsNoTracking()
                .Where(p => p.Status == PayoutStatus.Paid && amountsByOwner.Keys.Contains(p.OwnerId))
                .Select(p => new { p.OwnerId, p.AmountMinor })
                .ToListAsync(cancellationToken))
            .ToLookup(p => p.OwnerId, p => p.AmountMinor);

        // Each job's cost in benchmark terms, from every device that ran it in the period: ms × score per inference.
        var factors = work.Where(w => w.Inferences > 0 && devices.GetValueOrDefault(w.DeviceId).Score > 0)
            .GroupBy(w => w.JobId)
            .ToDictionary(g => g.Key, g => g.Sum(w => (w.Milliseconds - w.MillisecondsWithoutInferences) * devices.GetValueOrDefault(w.DeviceId).Score)
                                         / g.Sum(w => (double)w.Inferences));

        long Expected(WorkDone w) => devices.GetValueOrDefault(w.DeviceId).Score is > 0 and var score && factors.TryGetValue(w.JobId, out var factor)
            ? (long)(w.Inferences * factor / score) + w.MillisecondsWithoutInferences
            : w.Milliseconds;

        var byOwner = work.Where(w => amountsByOwner.ContainsKey(w.OwnerId)).ToLookup(w => w.OwnerId);
        return amountsByOwner.ToDictionary(owner => owner.Key, owner =>
        {
            var usage = byOwner[owner.Key].ToList();
            var newDeviceEarnings = usage.Where(u => devices.GetValueOrDefault(u.DeviceId).IsNew).GroupBy(u => u.DeviceId)
                .Select(g => g.Sum(u => u.EarnedMinor)).DefaultIfEmpty(0).Max();
            return new PayoutFacts(owner.Value, usage.Sum(u => u.Milliseconds), usage.Sum(Expected),
                usage.Sum(u => u.Records), usage.Sum(u => u.Reversed), newDeviceEarnings, previous[owner.Key].ToList());
        });
    }

    /// <summary>An owner's device's work on one job in the period.</summary>
    private sealed record WorkDone(string OwnerId, Guid DeviceId, Guid JobId, long Milliseconds, long MillisecondsWithoutInferences,
        long Inferences, int Records, int Reversed, long EarnedMinor);
}
