using FleetMarket.Domain.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class MeteringConfiguration : IEntityTypeConfiguration<Metering>
{
    public void Configure(EntityTypeBuilder<Metering> metering)
    {
        metering.ToTable("Meterings");
        metering.HasKey(m => new { m.JobId, m.OwnerId });
        metering.Property(m => m.OwnerId).HasMaxLength(450);
        metering.Ignore(m => m.ChargeMinor);

        // Two units of one job and owner accepted at once: the second save fails and its completion decides again.
        metering.Property(m => m.ChargeMicros).IsConcurrencyToken();
    }
}
