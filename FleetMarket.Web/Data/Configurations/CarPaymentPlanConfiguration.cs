using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class CarPaymentPlanConfiguration : IEntityTypeConfiguration<CarPaymentPlan>
{
    public void Configure(EntityTypeBuilder<CarPaymentPlan> plan)
    {
        plan.HasKey(p => p.Id);
        plan.Property(p => p.OwnerId).HasMaxLength(450).IsRequired();
        plan.Property(p => p.Lessor).HasMaxLength(FieldLimits.Lessor).IsRequired();
        plan.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();

        // One plan per owner: the one their earnings offset.
        plan.HasIndex(p => p.OwnerId).IsUnique();
        plan.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
