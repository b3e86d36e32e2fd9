using FleetMarket.Domain.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class PayoutAccountConfiguration : IEntityTypeConfiguration<PayoutAccount>
{
    public void Configure(EntityTypeBuilder<PayoutAccount> account)
    {
        account.HasKey(a => a.Id);
        account.Property(a => a.OwnerId).HasMaxLength(450).IsRequired();
        account.Property(a => a.ProviderAccountId).HasMaxLength(100).IsRequired();
        account.Ignore(a => a.State);
        account.Property(a => a.LastBankPayoutStatus).HasMaxLength(20);
        account.Property(a => a.LastBankPayoutFailure).HasMaxLength(500);
        account.HasIndex(a => a.OwnerId).IsUnique();
        account.HasIndex(a => a.ProviderAccountId).IsUnique();
        account.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
