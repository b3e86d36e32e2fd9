using FleetMarket.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class WorkUnitConfiguration : IEntityTypeConfiguration<WorkUnit>
{
    public void Configure(EntityTypeBuilder<WorkUnit> unit)
    {
        unit.HasKey(u => u.Id);
        unit.Property(u => u.InputSha256).HasMaxLength(64).IsRequired();
        unit.Property(u => u.OutputSha256).HasMaxLength(64);
        unit.Property(u => u.FailureReason).HasMaxLength(1000);
        unit.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);

        // Concurrent lease attempts race on this token: only one conditional update wins a unit.
        unit.Property(u => u.LeaseId).IsConcurrencyToken();

        // Two verification decisions on one index race on this token, kept on the index's first replica.
        unit.Property(u => u.DecisionVersion).IsConcurrencyToken();
        unit.Property(u => u.OwnerId).HasMaxLength(450);
        unit.HasIndex(u => new { u.JobId, u.Index, u.Replica }).IsUnique();
        unit.HasIndex(u => new { u.Status, u.LeaseExpiresAt });

        // The lease's hot query: a job's next queued unit in input order.
        unit.HasIndex(u => new { u.JobId, u.Status, u.Index });
        unit.HasIndex(u => u.LeaseId).IsUnique();

        // What a device holds: counted on every batched lease, read on every blob fetch. Without it each of those
        // scanned every leased unit of the fleet.
        unit.HasIndex(u => new { u.DeviceId, u.Status, u.LeaseExpiresAt });
    }
}
