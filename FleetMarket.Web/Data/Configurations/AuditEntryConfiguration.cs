using FleetMarket.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditLog");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.ActorId).HasMaxLength(450).IsRequired();
        entry.Property(e => e.Actor).HasMaxLength(256).IsRequired();
        entry.Property(e => e.Action).HasMaxLength(100).IsRequired();
        entry.Property(e => e.Subject).HasMaxLength(200).IsRequired();
        entry.Property(e => e.Reason).HasMaxLength(1000);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => e.Subject);
    }
}
