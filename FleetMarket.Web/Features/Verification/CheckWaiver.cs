using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Jobs;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Verification;

/// <summary>
/// A buyer whose results wait for a check that no online device of another owner can run takes them unchecked: each
/// waiting result is accepted and billed, the checks leave the queue, and the rest of the job runs unchecked.
/// </summary>
public sealed class CheckWaiver(FleetDbContext db, ResultVerifier verifier, AssemblyKick assembly, TimeProvider time)
{
    public async Task WaiveAsync(string buyerId, Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.BuyerId == buyerId && j.Id == jobId, cancellationToken)
                  ?? throw new NotFoundException("No such job.");
        var waiting = await db.WorkUnits.Where(u => u.JobId == jobId && u.Status == WorkUnitStatus.Checking)
            .Select(u => u.Index).Distinct().ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            throw new ConflictException("No result of this job waits for a check.");
        }

        job.WaiveChecks();

        // EF Core saves no replaced instance of an owned record (the policy is one); the columns are set here.
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Verification.Mode, job.Verification.Mode)
            .SetProperty(j => j.Verification.Replicas, job.Verification.Replicas), cancellationToken);
        var now = time.GetUtcNow();
        var groups = await db.WorkUnits.Where(u => u.JobId == jobId && waiting.Contains(u.Index)).ToListAsync(cancellationToken);
        foreach (var group in groups.GroupBy(u => u.Index))
        {
            await verifier.AcceptUncheckedAsync(job, group.ToList(), now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (!await db.WorkUnits.Where(u => u.JobId == jobId).AnyAsync(WorkUnit.Outstanding, cancellationToken))
        {
            assembly.Assemble(jobId);
        }
    }
}
