using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Features.Ledger;

internal sealed class BalanceGuardConfiguration : IEntityTypeConfiguration<BalanceGuard>
{
    public void Configure(EntityTypeBuilder<BalanceGuard> guard)
    {
        guard.ToTable("BalanceGuards");
        guard.HasKey(g => g.Account);
        guard.Property(g => g.Account).HasMaxLength(500);

        // A hold staged inside another transaction (a completion topping up its job) reads the version and saves only if
        // no other hold moved it meanwhile: EscrowHolds.TryStageHoldAsync.
        guard.Property(g => g.Version).IsConcurrencyToken();
    }
}
