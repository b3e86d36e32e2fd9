using FleetMarket.Web.Features.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class BalanceGuardConfiguration : IEntityTypeConfiguration<BalanceGuard>
{
    public void Configure(EntityTypeBuilder<BalanceGuard> guard)
    {
        guard.HasKey(g => g.Account);
        guard.Property(g => g.Account).HasMaxLength(500);
    }
}
