using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.HasKey(k => k.Id);
        key.Property(k => k.BuyerId).HasMaxLength(450).IsRequired();
        key.Property(k => k.Name).HasMaxLength(FieldLimits.ApiKeyName).IsRequired();
        key.Property(k => k.Prefix).HasMaxLength(16).IsRequired();
        key.Property(k => k.Hash).HasMaxLength(64).IsRequired();
        key.Ignore(k => k.IsActive);
        key.HasIndex(k => k.Hash).IsUnique();
        key.HasIndex(k => k.BuyerId);
        key.HasOne<ApplicationUser>().WithMany().HasForeignKey(k => k.BuyerId).OnDelete(DeleteBehavior.Cascade);
    }
}
