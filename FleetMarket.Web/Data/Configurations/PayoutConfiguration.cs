using FleetMarket.Domain.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> payout)
    {
        payout.HasKey(p => p.Id);
        payout.Property(p => p.OwnerId).HasMaxLength(450).IsRequired();
        payout.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        payout.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        payout.Property(p => p.ReviewedBy).HasMaxLength(256);
        payout.Ignore(p => p.IsOpen);
        payout.HasIndex(p => new { p.Status, p.CreatedAt });
        payout.HasIndex(p => p.OwnerId);
        payout.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
