using FleetMarket.Domain.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class SettlementRunConfiguration : IEntityTypeConfiguration<SettlementRun>
{
    public void Configure(EntityTypeBuilder<SettlementRun> run)
    {
        run.HasKey(r => r.Id);
        run.Ignore(r => r.OwnersMinor);
        run.HasIndex(r => r.StartedAt);
    }
}
