using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Settlement;

/// <summary>
/// Rejects work after it was accepted (verification found it wrong): the usage record is marked, and the next
/// settle-usage posts the reversal once, whether or not the work was already settled or paid out.
/// </summary>
public sealed class UsageReversals(FleetDbContext db, TimeProvider time)
{
    /// <summary>False when the usage was already reversed.</summary>
    public async Task<bool> ReverseAsync(Guid usageRecordId, string reason, CancellationToken cancellationToken = default)
    {
        var usage = await db.UsageRecords.SingleOrDefaultAsync(u => u.Id == usageRecordId, cancellationToken)
                    ?? throw new NotFoundException("No such usage record.");
        var reversed = usage.Reverse(reason, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return reversed;
    }
}
