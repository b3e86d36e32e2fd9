using FleetMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class ReconciliationDifferenceConfiguration : IEntityTypeConfiguration<ReconciliationDifference>
{
    public void Configure(EntityTypeBuilder<ReconciliationDifference> difference)
    {
        difference.HasKey(d => d.Id);
        difference.Property(d => d.Kind).HasMaxLength(40).IsRequired();
        difference.Property(d => d.Reference).HasMaxLength(100).IsRequired();
        difference.Property(d => d.Note).HasMaxLength(1000).IsRequired();
        difference.Property(d => d.ResolvedBy).HasMaxLength(256);

        // A daily rerun finds the same difference again; it is recorded once.
        difference.HasIndex(d => new { d.Kind, d.Reference }).IsUnique();
    }
}
