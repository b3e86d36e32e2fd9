using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>Gathers what the payout anomaly rules look at, for one owner over the recent past.</summary>
public sealed class PayoutFactsReader(FleetDbContext db, TimeProvider time, IOptions<PayoutOptions> options)
{
    public async Task<PayoutFacts> ReadAsync(string ownerId, long amountMinor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var since = now.AddDays(-options.Value.AnomalyLookbackDays);
        var newSince = now.AddDays(-options.Value.NewDeviceDays);
        var usage = await db.UsageRecords.AsNoTracking()
            .Where(u => u.OwnerId == ownerId && u.RecordedAt >= since)
            .Join(db.Devices, u => u.DeviceId, d => d.Id, (u, d) => new
            {
                u.JobId,
                u.DeviceId,
                u.ComputeMilliseconds,
                u.InferenceCount,
                u.ChargeMinor,
                u.FeeMinor,
                Reversed = u.ReversedAt != null,
                Score = d.BenchmarkScore,
                DeviceIsNew = d.CreatedAt >= newSince,
            })
            .ToListAsync(cancellationToken);

        // Each job's cost in benchmark terms, from every device that ran it: ms × score per inference.
        var jobIds = usage.Select(u => u.JobId).Distinct().ToList();
        var factors = await db.UsageRecords.AsNoTracking()
            .Where(u => jobIds.Contains(u.JobId) && u.InferenceCount > 0)
            .Join(db.Devices.Where(d => d.BenchmarkScore > 0), u => u.DeviceId, d => d.Id,
                (u, d) => new { u.JobId, Weighted = u.ComputeMilliseconds * d.BenchmarkScore!.Value, u.InferenceCount })
            .GroupBy(x => x.JobId)
            .Select(g => new { JobId = g.Key, Factor = g.Sum(x => x.Weighted) / g.Sum(x => (double)x.InferenceCount) })
            .ToDictionaryAsync(x => x.JobId, x => x.Factor, cancellationToken);

        var expected = usage.Sum(u => u.Score > 0 && u.InferenceCount > 0 && factors.TryGetValue(u.JobId, out var factor)
            ? (long)(u.InferenceCount * factor / u.Score.Value)
            : u.ComputeMilliseconds);
        var newDeviceEarnings = usage.Where(u => u.DeviceIsNew).GroupBy(u => u.DeviceId)
            .Select(g => g.Sum(u => u.ChargeMinor - u.FeeMinor)).DefaultIfEmpty(0).Max();
        var previous = await db.Payouts.AsNoTracking()
            .Where(p => p.OwnerId == ownerId && p.Status == PayoutStatus.Paid)
            .Select(p => p.AmountMinor)
            .ToListAsync(cancellationToken);

        return new PayoutFacts(amountMinor, usage.Sum(u => u.ComputeMilliseconds), expected, usage.Count, usage.Count(u => u.Reversed),
            newDeviceEarnings, previous);
    }
}
