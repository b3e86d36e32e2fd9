using FleetMarket.Domain.Leases;
using FleetMarket.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class CarLeaseConfiguration : IEntityTypeConfiguration<CarLease>
{
    public void Configure(EntityTypeBuilder<CarLease> lease)
    {
        lease.HasKey(l => l.Id);
        lease.Property(l => l.OwnerId).HasMaxLength(450).IsRequired();
        lease.Property(l => l.Lessor).HasMaxLength(FieldLimits.Lessor).IsRequired();
        lease.Property(l => l.Currency).HasMaxLength(3).IsFixedLength();

        // One lease per owner: the one their earnings offset.
        lease.HasIndex(l => l.OwnerId).IsUnique();
        lease.HasOne<ApplicationUser>().WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
