using FleetMarket.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> usage)
    {
        usage.HasKey(u => u.Id);
        usage.Property(u => u.BuyerId).HasMaxLength(450).IsRequired();
        usage.Property(u => u.OwnerId).HasMaxLength(450).IsRequired();
        usage.Property(u => u.Currency).HasMaxLength(3).IsFixedLength();
        usage.Ignore(u => u.OwnerShareMinor);
        usage.Property(u => u.ReversalReason).HasMaxLength(500);

        // One accepted unit yields exactly one usage record, however often the device completes it.
        usage.HasIndex(u => u.WorkUnitId).IsUnique();
        usage.HasIndex(u => u.SettledAt);
        usage.HasIndex(u => new { u.ReversedAt, u.ReversalSettledAt });
        usage.HasIndex(u => u.OwnerId);
        usage.HasIndex(u => u.ReservationId);

        // What a job has spent, for tie-breakers beyond what its escrow was sized for.
        usage.HasIndex(u => u.JobId);
        usage.HasOne<WorkUnit>().WithMany().HasForeignKey(u => u.WorkUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
