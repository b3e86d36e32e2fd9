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
        payout.Property(p => p.ReviewNote).HasMaxLength(1000);
        payout.Property(p => p.TransferId).HasMaxLength(100);
        payout.Property(p => p.FailureReason).HasMaxLength(1000);
        payout.Ignore(p => p.IsOpen);
        payout.HasIndex(p => new { p.Status, p.CreatedAt });

        // One payout per owner per run: two runs at once (a retry, a second node) cannot claim earnings twice.
        payout.HasIndex(p => new { p.OwnerId, p.RunDate }).IsUnique();
        payout.HasIndex(p => p.TransferId);
        payout.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
